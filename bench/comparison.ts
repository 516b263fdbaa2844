/**
 * Concord against each peer on each workload and key count, as a ratio
 * (Concord's speed over the peer's: above 1, Concord is ahead): the tables
 * `npm run bench` prints and docs/performance.md shows.
 */
import { formatFigure, formatRatio, ratioOf } from './line.ts';
import type { PeerGroup, PeerRow } from './peerHarness.ts';

export interface PeerComparison {
  workload: string;
  keys: number;
  unit: PeerRow['unit'];
  concord: number;
  subject: string;
  group: Exclude<PeerGroup, 'Concord'>;
  peerValue: number;
  /** Concord's speed over the peer's on this line (for a time, the peer's time over Concord's): above 1, Concord is ahead. */
  ratio: number;
  /** The peer's figure took fewer rounds than the others: see its row's `capped`. */
  capped: boolean;
}

export function compareWithPeers(rows: readonly PeerRow[]): PeerComparison[] {
  return rows
    .filter((row) => row.group === 'Concord')
    .flatMap((concord) =>
      rows
        .filter((row) => row.group !== 'Concord' && row.workload === concord.workload && row.keys === concord.keys)
        .map((peer) => ({
          workload: concord.workload,
          keys: concord.keys,
          unit: concord.unit,
          concord: concord.value,
          subject: peer.subject,
          group: peer.group as PeerComparison['group'],
          peerValue: peer.value,
          ratio: ratioOf(concord, peer),
          capped: peer.capped !== undefined,
        })),
    );
}

/** The subjects of `groups`, in the order they were measured. */
export function subjectsOf(rows: readonly PeerRow[], groups: readonly PeerGroup[]): string[] {
  return [...new Set(rows.filter((row) => groups.includes(row.group)).map((row) => row.subject))];
}

/** The Concord lines, one per workload and key count, in the order they were measured. */
export function concordLinesOf(rows: readonly PeerRow[]): PeerRow[] {
  return rows.filter((row) => row.group === 'Concord');
}

const COLUMN = 28;

/** A cell of the tables: the peer's figure and Concord's ratio to it, starred when the figure took fewer rounds. */
export function cellText(cell: PeerComparison | undefined, ratio: (text: string) => string = (text) => text): string {
  if (cell === undefined) return 'no history';
  return `${formatFigure(cell.peerValue)}${cell.capped ? '*' : ''} ${ratio(formatRatio(cell.ratio))}`;
}

/** One table: a row per Concord line, a column per subject of `groups`, each cell the peer's figure and Concord's ratio to it. */
export function printComparison(rows: readonly PeerRow[], comparisons: readonly PeerComparison[], groups: readonly PeerGroup[]): void {
  const subjects = subjectsOf(rows, groups);
  console.log(`${'workload'.padEnd(30)} ${'keys'.padStart(7)} ${'Concord'.padStart(20)}${subjects.map((subject) => subject.padStart(COLUMN)).join('')}`);
  for (const concord of concordLinesOf(rows)) {
    const cells = subjects.map((subject) => {
      const cell = comparisons.find((row) => row.subject === subject && row.workload === concord.workload && row.keys === concord.keys);
      return cellText(cell).padStart(COLUMN);
    });
    console.log(
      `${concord.workload.padEnd(30)} ${String(concord.keys).padStart(7)} ${`${formatFigure(concord.value)} ${concord.unit}`.padStart(20)}${cells.join('')}`,
    );
  }
}

/** Each subject's notes, and every figure measured with fewer rounds than the others. */
export function printPeerNotes(rows: readonly PeerRow[]): void {
  const kinds = (row: PeerRow) => (row.workload === 'snapshot' || row.workload.startsWith('rollback') ? `, ${row.workload}` : '');
  for (const note of new Set(rows.map((row) => `${row.subject}${kinds(row)}: ${row.note ?? ''}`))) console.log(note);
  for (const row of rows.filter((row) => row.capped !== undefined))
    console.log(`* fewer rounds: ${row.subject}, ${row.workload}, ${row.keys} keys: ${row.capped}`);
}
