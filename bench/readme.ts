/**
 * `npx tsx bench/readme.ts`: rewrites the benchmark tables of
 * docs/performance.md (between their markers) from bench/results.json, so
 * the page shows the figures of the last `npm run bench`, the command and
 * the date, and nothing typed by hand. Every figure stands beside its floor
 * or its peer, with the ratio between them.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { PeerComparison } from './comparison.ts';
import { cellText, concordLinesOf, subjectsOf } from './comparison.ts';
import { formatFigure, formatRatio, type Line } from './line.ts';
import type { PeerGroup, PeerRow } from './peerHarness.ts';
import type { RedisRun } from './redis.ts';
import type { TargetResult } from './targets.ts';

interface Results {
  command: string;
  node: string;
  rounds: number;
  measuredAt: string;
  loadAverage: { start: string; end: string };
  lines: Line[];
  peers: PeerRow[];
  peerComparisons: PeerComparison[];
  reference: { ran: true; python: string; recordImpl: string; startedUtc: string; lines: Line[]; unmatched: string[] } | { ran: false; reason: string };
  durable: Line[];
  targets: TargetResult[];
  redis: RedisRun & { lines: Line[]; targets: TargetResult[] };
}

const pageUrl = new URL('../docs/performance.md', import.meta.url);
const results = JSON.parse(readFileSync(new URL('./results.json', import.meta.url), 'utf8')) as Results;

const measured = `Measured ${results.measuredAt.slice(0, 10)} with \`${results.command}\` (medians of ${results.rounds} rounds), Node ${results.node}, on this 2-core machine, shared: load average ${results.loadAverage.start} at the start of the run, ${results.loadAverage.end} at its end.`;

const figure = ({ value, unit }: { value: number; unit: string }) => `${formatFigure(value)} ${unit}`;

/** A table of lines: each beside what it was measured against, and the ratio; a floor says so. */
function linesTable(lines: readonly Line[]): string {
  const rows = lines.map((line) => {
    const name = `${line.name}${line.note === undefined ? '' : ` (${line.note})`}`;
    if (line.against.length === 0) return `| ${name} | ${figure(line)} | (a floor) | |`;
    const against = line.against.map((reference) => `${reference.name}: ${figure(reference)}`).join('; ');
    return `| ${name} | ${figure(line)} | ${against} | ${line.against.map((reference) => formatRatio(reference.ratio)).join('; ')} |`;
  });
  return ['| line | median | measured against, same run | ratio |', '|---|---|---|---|', ...rows].join('\n');
}

/** Concord's figure on each workload and key count, and each peer of `groups` beside it with Concord's ratio to it. */
function peersMatrix(groups: readonly PeerGroup[]): string {
  const subjects = subjectsOf(results.peers, groups);
  const rows = concordLinesOf(results.peers).map((concord) => {
    const cells = subjects.map((subject) => {
      const cell = results.peerComparisons.find((row) => row.subject === subject && row.workload === concord.workload && row.keys === concord.keys);
      return cellText(cell, (ratio) => `(${ratio})`);
    });
    return `| ${concord.workload} | ${concord.keys.toLocaleString('en-US')} | ${figure(concord)} | ${cells.join(' | ')} |`;
  });
  return [`| workload | keys | Concord | ${subjects.join(' | ')} |`, `|---|---|---|${subjects.map(() => '---|').join('')}`, ...rows].join('\n');
}

function cappedNotes(): string {
  const capped = results.peers.filter((row) => row.capped !== undefined);
  if (capped.length === 0) return 'Every figure took the full rounds.';
  return [
    'Starred figures (\\*) took fewer rounds or calls than the others, to keep the run near 10 minutes:',
    '',
    ...capped.map((row) => `- ${row.subject}, ${row.workload}, ${row.keys.toLocaleString('en-US')} keys: ${row.capped}`),
  ].join('\n');
}

const peersTable = [
  measured,
  "Each cell: the peer's figure, and in brackets Concord's ratio to it (above 1: Concord is ahead).",
  '',
  '**Peers that keep history**, and the floor of a Map with a history ring:',
  '',
  peersMatrix(['keeps history', 'floor']),
  '',
  '**Peers that keep no history** (no versions, no rollback):',
  '',
  peersMatrix(['keeps no history']),
  '',
  cappedNotes(),
].join('\n');

const referenceTable = results.reference.ran
  ? [
      `${measured} The reference ran within the same run: Python ${results.reference.python}, records ${results.reference.recordImpl}, from ${results.reference.startedUtc}.`,
      '',
      linesTable(results.reference.lines),
      '',
      `Python figures beside no Concord line: ${results.reference.unmatched.join('; ')}.`,
    ].join('\n')
  : `${measured} The reference Python was skipped: ${results.reference.reason}.`;

/** The targets of `issue`, each met or missed, and the lines behind on those that list them. */
function targetsTable(issue: number, targets: readonly TargetResult[]): string {
  return [
    `| target (issue ${issue}) | this run | |`,
    '|---|---|---|',
    ...targets.map(({ target, measured: value, met }) => `| ${target} | ${value} | ${met ? 'met' : 'missed'} |`),
    '',
    ...targets.flatMap(({ target, missedOn }) => (missedOn === undefined ? [] : [`- ${target}, behind on: ${missedOn}.`])),
  ].join('\n');
}

const redisServer = results.redis.ran
  ? `${results.redis.server}, started by the run: appendonly yes, appendfsync everysec. Medians of ${results.redis.rounds} rounds of ${results.redis.roundMs} ms each, after a warm-up round of half that; the rounds of the lines measured by one group of processes take turns.`
  : `Redis section: ${results.redis.reason}.`;
const redisTable = [`${measured} ${redisServer}`, '', linesTable(results.redis.lines), '', targetsTable(15, results.redis.targets)].join('\n');

function replaceBetween(text: string, marker: string, body: string): string {
  const open = `<!-- ${marker} -->`;
  const close = `<!-- /${marker} -->`;
  const start = text.indexOf(open);
  const end = text.indexOf(close);
  if (start < 0 || end < start) throw new Error(`docs/performance.md has no ${open} ... ${close} section`);
  return `${text.slice(0, start + open.length)}\n${body}\n${text.slice(end)}`;
}

let page = readFileSync(pageUrl, 'utf8');
page = replaceBetween(page, 'bench-table', [measured, '', linesTable(results.lines)].join('\n'));
page = replaceBetween(page, 'peers-table', peersTable);
page = replaceBetween(page, 'reference-table', referenceTable);
page = replaceBetween(page, 'durable-table', [measured, '', linesTable(results.durable)].join('\n'));
page = replaceBetween(page, 'targets-table', [measured, '', targetsTable(14, results.targets)].join('\n'));
page = replaceBetween(page, 'redis-table', redisTable);
writeFileSync(pageUrl, page);
console.log('docs/performance.md: benchmark tables rewritten from bench/results.json');
