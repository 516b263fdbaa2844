/**
 * Concord on the peers' workloads (bench/peerHarness.ts), at the same key counts:
 * writes awaited one by one through the facade, so each figure includes the
 * version, the history record, the mailbox and the promise the peers skip.
 */
import { createThreadSafeState, type ThreadSafeState } from 'concord-state';
import { collectGarbage, microsPerCallWithin, numberedState, opsPerSecondAsync } from './harness.ts';
import { readLoop, ROLLBACK_BUDGET_MS, ROLLBACK_VERSIONS, ROLLBACK_WORKLOAD, UPDATE_PAYLOADS, type PeerRow } from './peerHarness.ts';

type State = ThreadSafeState<Record<string, number>>;

/** Written by every loop, so the JIT cannot drop the reads being timed. */
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- written and never read: that is what keeps the reads
let sink: unknown;
/** Every write stores a value never stored before, as the peers' do. */
let lastWritten = 0;

interface ConcordWorkload {
  workload: string;
  unit: PeerRow['unit'];
  scale: (rate: number) => number;
  /** Ops per timed round at `keyCount` keys. */
  ops: (keyCount: number) => number;
  run: (state: State, keys: readonly string[]) => (ops: number) => Promise<void>;
}

function mixed(readsPerTen: number): ConcordWorkload['run'] {
  return (state, keys) => {
    let cursor = 0;
    return async (ops) => {
      let total = 0;
      for (let end = cursor + ops; cursor < end; cursor++) {
        const key = keys[cursor % keys.length] as string;
        if (cursor % 10 < readsPerTen) total += state.get(key) ?? 0;
        else await state.set(key, --lastWritten);
      }
      sink = total;
    };
  };
}

/** Reads alone, through the peers' own read loop: a get is synchronous, and the async frame the writes need is no part of it. */
function reads(): ConcordWorkload['run'] {
  return (state, keys) => {
    const loop = readLoop(state, keys);
    return (ops) => {
      loop(ops);
      return Promise.resolve();
    };
  };
}

const WORKLOADS: readonly ConcordWorkload[] = [
  { workload: 'set', unit: 'ops/s', scale: (rate) => rate, ops: () => 50_000, run: mixed(0) },
  { workload: 'get', unit: 'ops/s', scale: (rate) => rate, ops: () => 1_000_000, run: reads() },
  { workload: 'read-heavy 90% get / 10% set', unit: 'ops/s', scale: (rate) => rate, ops: () => 200_000, run: mixed(9) },
  { workload: 'write-heavy 10% get / 90% set', unit: 'ops/s', scale: (rate) => rate, ops: () => 50_000, run: mixed(1) },
  {
    workload: 'snapshot',
    unit: 'µs',
    scale: (rate) => 1e6 / rate,
    ops: () => 1_000_000,
    run: (state) => (ops) => {
      for (let i = 0; i < ops; i++) sink = state.snapshot();
      return Promise.resolve();
    },
  },
  {
    workload: 'update of 100 keys',
    unit: 'ms',
    scale: (rate) => 1000 / rate,
    ops: () => 2_000,
    run: (state) => async (ops) => {
      for (let i = 0; i < ops; i++) await state.update(UPDATE_PAYLOADS[i % 2] as Record<string, number>);
    },
  },
];

/** The peers' rollback workload: ROLLBACK_VERSIONS sets (untimed), then a rollback over them (timed), with the peers' budget. */
async function rollbackMillis(state: State, keys: readonly string[]): Promise<number> {
  let target = 0;
  const writeForward = async () => {
    target = state.getVersion();
    for (let i = 0; i < ROLLBACK_VERSIONS; i++) await state.set(keys[i % keys.length] as string, --lastWritten);
  };
  await writeForward();
  const { micros } = await microsPerCallWithin(writeForward, () => state.rollback(target), { budgetMs: ROLLBACK_BUDGET_MS, minCalls: 1 });
  return micros / 1000;
}

const NOTE = 'versions, history of 1000, awaited one by one';

/** Concord on every workload of the peers, at each key count, one state per key count. */
export async function measureConcord(keyCounts: readonly number[] = [10, 1000, 10_000, 100_000]): Promise<PeerRow[]> {
  const rows: PeerRow[] = [];
  for (const keyCount of keyCounts) {
    const keys = Object.keys(numberedState(keyCount));
    const state: State = createThreadSafeState<Record<string, number>>({ initialState: numberedState(keyCount), maxHistorySize: 1000 });
    for (const { workload, unit, scale, ops, run } of WORKLOADS) {
      collectGarbage();
      const count = ops(keyCount);
      const loop = run(state, keys);
      rows.push({
        workload,
        keys: keyCount,
        subject: 'Concord',
        group: 'Concord',
        value: scale(await opsPerSecondAsync(count, () => loop(count))),
        unit,
        note: NOTE,
      });
    }
    collectGarbage();
    const value = await rollbackMillis(state, keys);
    rows.push({
      workload: ROLLBACK_WORKLOAD,
      keys: keyCount,
      subject: 'Concord',
      group: 'Concord',
      value,
      unit: 'ms',
      note: `${NOTE}; rollback(version) writes a new version`,
    });
    state.stop();
  }
  return rows;
}
