/**
 * The ratio targets of issue 14, each checked against this run's ratios:
 * a line beside its floor, Concord beside the peers that keep history, and
 * Concord beside the reference's Python. Printed met or missed; nothing here
 * changes what was measured.
 */
import type { PeerComparison } from './comparison.ts';
import { formatRatio, type Line } from './line.ts';
import { PYTHON, type ReferenceComparison } from './reference.ts';

export interface TargetResult {
  target: string;
  /** The ratio as the target states it, or how many lines meet it. */
  measured: string;
  met: boolean;
  /** The lines that miss it, for a target over many. */
  missedOn?: string;
}

/** The ratio of `lineName` to the reference named `againstName`, if both were measured. */
function ratioOf(lines: readonly Line[], lineName: string, againstName: string): number | undefined {
  return lines.find((line) => line.name === lineName)?.against.find((against) => against.name === againstName)?.ratio;
}

/** `lineName`'s figure over `otherName`'s, both rates of this run. */
function rateRatio(lines: readonly Line[], lineName: string, otherName: string): number | undefined {
  const line = lines.find(({ name }) => name === lineName);
  const other = lines.find(({ name }) => name === otherName);
  return line === undefined || other === undefined ? undefined : line.value / other.value;
}

function atLeast(target: string, ratio: number | undefined, bound: number): TargetResult {
  if (ratio === undefined) return { target, measured: 'not measured', met: false };
  return { target, measured: formatRatio(ratio), met: ratio >= bound };
}

/** Every one of `ratios` at or above `bound`; the ones below listed by name. */
function everyAtLeast(target: string, ratios: readonly { name: string; ratio: number }[], bound: number): TargetResult {
  const missed = ratios.filter(({ ratio }) => !(ratio >= bound));
  if (ratios.length === 0) return { target, measured: 'not measured', met: false };
  const result = { target, measured: `${ratios.length - missed.length} of ${ratios.length} lines`, met: missed.length === 0 };
  return missed.length === 0 ? result : { ...result, missedOn: missed.map(({ name, ratio }) => `${name} ${formatRatio(ratio)}`).join('; ') };
}

export function checkTargets(lines: readonly Line[], peers: readonly PeerComparison[], reference: ReferenceComparison | undefined): TargetResult[] {
  const fromTransition = 'floor: XState fromTransition send, one Map.set';
  const snapshotSpeed = ratioOf(lines, 'snapshot(), first after a write, 1,000 keys', 'floor: build and freeze a 1,000-key object');
  const results: TargetResult[] = [
    atLeast('set, 10 keys: at least 0.3 of the fromTransition floor', ratioOf(lines, 'set, 10 keys (awaited one by one)', fromTransition), 0.3),
    snapshotSpeed === undefined
      ? { target: 'first snapshot, 1,000 keys: at most 1.2x the time of build and freeze', measured: 'not measured', met: false }
      : {
          target: 'first snapshot, 1,000 keys: at most 1.2x the time of build and freeze',
          measured: `${formatRatio(1 / snapshotSpeed)} its time`,
          met: 1 / snapshotSpeed <= 1.2,
        },
    ...[1, 4].map((agents) =>
      atLeast(
        `fromAgent agents, ${agents} at once: at least 0.8 of the raw protocol agents`,
        ratioOf(lines, `fromAgent agents: ${agents} at once`, `agents sending events straight: ${agents} at once`),
        0.8,
      ),
    ),
    ...[1, 2, 4].map((workers) =>
      atLeast(
        `worker agents, ${workers} writing, 1 in flight: at least 0.7 of the MessagePort echo`,
        ratioOf(lines, `worker agents: ${workers} writing at once`, `floor: MessagePort echo, ${workers} worker${workers === 1 ? '' : 's'}, 1 in flight each`),
        0.7,
      ),
    ),
    atLeast('worker agents: throughput grows from 1 to 2 workers', rateRatio(lines, 'worker agents: 2 writing at once', 'worker agents: 1 writing at once'), 1),
    everyAtLeast(
      'ahead of every peer that keeps history, every workload and size',
      peers.filter((row) => row.group === 'keeps history').map((row) => ({ name: `${row.workload} ${row.keys} vs ${row.subject}`, ratio: row.ratio })),
      1,
    ),
  ];
  if (reference === undefined) return [...results, { target: 'beside the reference Python', measured: 'skipped: it did not run', met: false }];
  const pythonRatio = (lineName: string, path: string) => ratioOf(reference.lines, lineName, `${PYTHON} ${path}`);
  return [
    ...results,
    everyAtLeast(
      'ahead of the reference Python on every workload it has',
      reference.lines.flatMap((line) => line.against.map((against) => ({ name: `${line.name} vs ${against.name}`, ratio: against.ratio }))),
      1,
    ),
    atLeast(
      'write-heavy: at least 3x the reference Python',
      pythonRatio('write-heavy 10% get / 90% set, 100 keys', 'doc_write_heavy_10get_90set_100keys_10000ops'),
      3,
    ),
    atLeast(
      'worker agents, 4 writing, 256 in flight: at least 2x Python with 4 threads',
      pythonRatio('worker agents: 4 writing at once, 256 in flight each', 'threads_set_own_keys_1000.4'),
      2,
    ),
  ];
}

export function printTargets(results: readonly TargetResult[]): void {
  for (const { target, measured, met, missedOn } of results) {
    console.log(`${target.padEnd(78)} ${measured.padStart(16)}  ${met ? 'met' : 'MISSED'}`);
    if (missedOn !== undefined) console.log(`    behind on: ${missedOn}`);
  }
}
