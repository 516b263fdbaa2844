/**
 * `npx tsx bench/readme.ts`: rewrites the benchmark tables of
 * docs/performance.md (between their markers) from bench/results.json, so
 * the docs show the figures of the last `npm run bench` and nothing typed by
 * hand. Each figure stands next to its floor or its best peer, as a ratio.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Row } from './benchRow.ts';
import { formatFigure, type Comparison } from './comparison.ts';
import type { PeerRow } from './peers.ts';

interface Results {
  node: string;
  rounds: number;
  measuredAt: string;
  rows: Row[];
  peers: PeerRow[];
  comparison: Comparison[];
}

const pageUrl = new URL('../docs/performance.md', import.meta.url);
const results = JSON.parse(readFileSync(new URL('./results.json', import.meta.url), 'utf8')) as Results;

const isRate = (unit: string) => unit.endsWith('/s');
const rowNamed = (name: string) => results.rows.find((row) => row.name === name);

/** The lines a line is measured against in the same run, by a short name. */
function referencesOf(row: Row): [label: string, name: string][] {
  if (row.name.startsWith('set, ')) {
    return [
      ['raw XState send', 'floor: raw XState no-op send'],
      ['fromTransition send', 'floor: XState fromTransition send, one Map.set'],
      ...(row.name.startsWith('set, 10 keys (') ? [['Map.set', 'floor: Map.set (10 keys)'] as [string, string]] : []),
    ];
  }
  if (row.name.startsWith('snapshot(), first after a write')) return [['build and freeze', 'floor: build and freeze a 1,000-key object']];
  const agents = /^fromAgent agents: (\d+) at once$/.exec(row.name);
  if (agents) return [['agents sending events straight', `agents sending events straight: ${agents[1]} at once`]];
  return [];
}

/** "0.284x fromTransition send": this line's figure divided by the other's (for a rate, above 1 is faster; for a time, slower). */
function ratios(row: Row): string {
  return referencesOf(row)
    .flatMap(([label, name]) => {
      const reference = rowNamed(name);
      return reference === undefined ? [] : [`${formatFigure(row.value / reference.value)}x ${label}`];
    })
    .join('; ');
}

const ahead = (advantage: number) => (advantage >= 1 ? `${advantage.toFixed(1)}x ahead` : `${(1 / advantage).toFixed(1)}x behind`);

/** Concord against the Map with a history ring on the same line, as "x ahead/behind". */
function againstFloor(row: Comparison): string {
  const floor = results.peers.find((peer) => peer.subject === 'floor: Map + history ring' && peer.workload === row.workload && peer.keys === row.keys);
  if (floor === undefined) return '';
  const advantage = isRate(row.unit) ? row.concord / floor.value : floor.value / row.concord;
  return `${formatFigure(floor.value)} ${row.unit} (${ahead(advantage)})`;
}

const measured = `Measured ${results.measuredAt.slice(0, 10)} with \`npm run bench\` (medians of ${results.rounds} rounds), Node ${results.node}.`;

const mainTable = [
  measured,
  '',
  '| workload | median | against its floor, same run |',
  '|---|---|---|',
  ...results.rows
    .filter((row) => row.unit !== 'ratio')
    .map((row) => `| ${row.name}${row.note ? ` (${row.note})` : ''} | ${formatFigure(row.value)} ${row.unit} | ${ratios(row)} |`),
].join('\n');

const peersTable = [
  measured,
  '',
  '| workload | keys | Concord | best peer | Concord vs best peer | floor: Map + history ring (Concord vs it) |',
  '|---|---|---|---|---|---|',
  ...results.comparison.map(
    (row) =>
      `| ${row.workload} | ${row.keys.toLocaleString('en-US')} | ${formatFigure(row.concord)} ${row.unit} | ${formatFigure(row.bestPeerValue)} ${row.unit} (${row.bestPeer}) | ${ahead(row.advantage)} | ${againstFloor(row)} |`,
  ),
].join('\n');

function replaceBetween(text: string, marker: string, body: string): string {
  const open = `<!-- ${marker} -->`;
  const close = `<!-- /${marker} -->`;
  const start = text.indexOf(open);
  const end = text.indexOf(close);
  if (start < 0 || end < start) throw new Error(`docs/performance.md has no ${open} ... ${close} section`);
  return `${text.slice(0, start + open.length)}\n${body}\n${text.slice(end)}`;
}

let page = readFileSync(pageUrl, 'utf8');
page = replaceBetween(page, 'bench-table', mainTable);
page = replaceBetween(page, 'peers-table', peersTable);
writeFileSync(pageUrl, page);
console.log('docs/performance.md: benchmark tables rewritten from bench/results.json');
