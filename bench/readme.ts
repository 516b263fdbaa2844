/**
 * `npx tsx bench/readme.ts`: rewrites the README's benchmark tables (between
 * their markers) from bench/results.json, so the README shows the figures of
 * the last `npm run bench` and nothing typed by hand.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { meetsTarget, targetText, type Row } from './benchRow.ts';
import { formatFigure, type Comparison } from './comparison.ts';

interface Results {
  node: string;
  measuredAt: string;
  rows: Row[];
  comparison: Comparison[];
}

const readmeUrl = new URL('../README.md', import.meta.url);
const results = JSON.parse(readFileSync(new URL('./results.json', import.meta.url), 'utf8')) as Results;

const met = (row: Row) => {
  const meets = meetsTarget(row);
  return meets === undefined ? '' : meets ? 'met' : '**missed**';
};

const mainTable = [
  `Measured ${results.measuredAt.slice(0, 10)}, Node ${results.node}.`,
  '',
  '| workload | median | target (#6) | |',
  '|---|---|---|---|',
  ...results.rows.map((row) => `| ${row.name}${row.note ? ` (${row.note})` : ''} | ${formatFigure(row.value)} ${row.unit} | ${targetText(row)} | ${met(row)} |`),
].join('\n');

const peersTable = [
  '| workload | keys | Concord | best peer | Concord vs best peer |',
  '|---|---|---|---|---|',
  ...results.comparison.map(
    (row) =>
      `| ${row.workload} | ${row.keys.toLocaleString('en-US')} | ${formatFigure(row.concord)} ${row.unit} | ${formatFigure(row.bestPeerValue)} ${row.unit} (${row.bestPeer}) | ${row.advantage >= 1 ? `${row.advantage.toFixed(1)}x ahead` : `${(1 / row.advantage).toFixed(1)}x behind`} |`,
  ),
].join('\n');

function replaceBetween(text: string, marker: string, body: string): string {
  const open = `<!-- ${marker} -->`;
  const close = `<!-- /${marker} -->`;
  const start = text.indexOf(open);
  const end = text.indexOf(close);
  if (start < 0 || end < start) throw new Error(`README.md has no ${open} ... ${close} section`);
  return `${text.slice(0, start + open.length)}\n${body}\n${text.slice(end)}`;
}

let readme = readFileSync(readmeUrl, 'utf8');
readme = replaceBetween(readme, 'bench-table', mainTable);
readme = replaceBetween(readme, 'peers-table', peersTable);
writeFileSync(readmeUrl, readme);
console.log('README.md: benchmark tables rewritten from bench/results.json');
