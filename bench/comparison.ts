/** Concord against the best peer on each workload and key count: the table `npm run bench` prints and docs/performance.md shows. */
import type { PeerRow } from './peers.ts';

export interface Comparison {
  workload: string;
  keys: number;
  unit: PeerRow['unit'];
  concord: number;
  bestPeer: string;
  bestPeerValue: number;
  /** How many times better Concord is than the best peer (above 1: ahead; rates higher, times lower). */
  advantage: number;
}

const PEERS = new Set(['Redux Toolkit', 'zustand', 'immer']);
const higherIsBetter = (unit: PeerRow['unit']) => unit === 'ops/s';

export function compareWithPeers(rows: readonly PeerRow[]): Comparison[] {
  const concordRows = rows.filter((row) => row.subject === 'Concord');
  return concordRows.map((concord) => {
    const peers = rows.filter((row) => PEERS.has(row.subject) && row.workload === concord.workload && row.keys === concord.keys);
    const better = (a: PeerRow, b: PeerRow) => (higherIsBetter(concord.unit) ? a.value >= b.value : a.value <= b.value);
    const best = peers.reduce((a, b) => (better(a, b) ? a : b));
    const advantage = higherIsBetter(concord.unit) ? concord.value / best.value : best.value / concord.value;
    return {
      workload: concord.workload,
      keys: concord.keys,
      unit: concord.unit,
      concord: concord.value,
      bestPeer: best.subject,
      bestPeerValue: best.value,
      advantage,
    };
  });
}

export const formatFigure = (value: number) => (value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toPrecision(3));

export function printComparison(comparison: readonly Comparison[]): void {
  console.log(`${'workload'.padEnd(32)} ${'keys'.padStart(7)} ${'Concord'.padStart(14)} ${'best peer'.padStart(28)}  advantage`);
  for (const row of comparison) {
    const peer = `${formatFigure(row.bestPeerValue)} (${row.bestPeer})`;
    console.log(
      `${row.workload.padEnd(32)} ${String(row.keys).padStart(7)} ${`${formatFigure(row.concord)} ${row.unit}`.padStart(14)} ${peer.padStart(28)}  ${row.advantage.toFixed(2)}x`,
    );
  }
}
