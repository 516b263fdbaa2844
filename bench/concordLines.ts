/**
 * Concord's own lines (writes, reads, snapshots, update, rollback, the
 * reference's mixed workloads, heap), each beside its floor from floors.ts.
 */
import { createThreadSafeState, type WriteOptions } from 'concord-state';
import type { Floors } from './floors.ts';
import { heapHeldBy } from './heap.ts';
import { keyNames, microsPerCall, numberedState, opsPerSecond, opsPerSecondAsync } from './harness.ts';
import { lineOf, type Line } from './line.ts';

/** set through the mailbox, awaited one by one. */
async function setRate(keyCount: number, options?: WriteOptions): Promise<number> {
  const keys = keyNames(keyCount);
  const state = createThreadSafeState<Record<string, number>>({ initialState: numberedState(keyCount) });
  let i = 0;
  const rate = await opsPerSecondAsync(100_000, async () => {
    for (let n = 0; n < 100_000; n++, i++) await state.set(keys[i % keyCount] as string, i, options);
  });
  state.stop();
  return rate;
}

const hundred = keyNames(100);

/** The reference's mixed loop over 100 keys: a get where `readEvery` says so, an awaited set otherwise. */
async function mixed(readEvery: (i: number) => boolean): Promise<number> {
  const state = createThreadSafeState<Record<string, number>>({ initialState: numberedState(100) });
  const rate = await opsPerSecondAsync(100_000, async () => {
    for (let i = 0; i < 100_000; i++) {
      const key = hundred[i % 100] as string;
      if (readEvery(i)) state.get(key);
      else await state.set(key, i);
    }
  });
  state.stop();
  return rate;
}

/** Megabytes a state holds after `sets` sets with the default maxHistorySize of 1000. */
function heapAfter(sets: number): Promise<number> {
  return heapHeldBy(
    async () => {
      const state = createThreadSafeState<Record<string, number>>({ maxHistorySize: 1000 });
      for (let i = 0; i < sets; i++) await state.set(hundred[i % 100] as string, i);
      return state;
    },
    (state) => state.stop(),
  );
}

export async function measureConcordLines(floors: Floors, record: (line: Line) => Line): Promise<void> {
  const { transitionSend } = floors;
  const set10 = await setRate(10);
  record(lineOf('set, 10 keys (awaited one by one)', { value: set10, unit: 'ops/s' }, [transitionSend, floors.rawSend, floors.mapSet]));
  record(
    lineOf(
      'set, 10 keys, with changedBy',
      { value: await setRate(10, { changedBy: 'agent-1' }), unit: 'ops/s' },
      [transitionSend],
      'as agents record who wrote',
    ),
  );
  const set100k = await setRate(100_000);
  record(lineOf('set, 100,000 keys', { value: set100k, unit: 'ops/s' }, [transitionSend], `${((set100k / set10) * 100).toFixed(0)}% of 10 keys`));

  const readState = createThreadSafeState<Record<string, unknown>>({
    initialState: { ...numberedState(100), name: 'agent-7', small: { id: 7, label: 'seven', tags: ['a', 'b', 'c'] } },
  });
  const getRate = (key: string, ops: number) =>
    opsPerSecond(ops, () => {
      for (let i = 0; i < ops; i++) readState.get(key);
    });
  record(lineOf('get, a number', { value: getRate('key_7', 2_000_000), unit: 'ops/s' }, [floors.mapGet]));
  record(lineOf('get, a string', { value: getRate('name', 2_000_000), unit: 'ops/s' }, [floors.mapGet]));
  record(lineOf('get, small object (cloned)', { value: getRate('small', 500_000), unit: 'ops/s' }, [floors.copySmall]));

  const snapState = createThreadSafeState<Record<string, number>>({ initialState: numberedState(1000) });
  snapState.snapshot();
  const hitRate = opsPerSecond(1_000_000, () => {
    for (let i = 0; i < 1_000_000; i++) snapState.snapshot();
  });
  record(lineOf('snapshot(), cache hit', { value: 1e6 / hitRate, unit: 'µs' }, [floors.mapGet], 'a lookup, against a Map.get'));
  let bump = 0;
  const firstSnapshot = await microsPerCall(
    () => snapState.set('key_1', bump++).then(() => undefined),
    () => snapState.snapshot(),
  );
  record(lineOf('snapshot(), first after a write, 1,000 keys', { value: firstSnapshot, unit: 'µs' }, [floors.buildAndFreeze]));

  // A waitFor pending while others write: its predicate runs on every version.
  const waitedState = createThreadSafeState<Record<string, number | string>>({ initialState: numberedState(1000) });
  const stopWaiting = new AbortController();
  const waiting = waitedState.waitFor((s) => s.status === 'done', { signal: stopWaiting.signal }).catch(() => undefined);
  const thousand = keyNames(1000);
  let waitedWrites = 0;
  const setsWithWaiter = await opsPerSecondAsync(100_000, async () => {
    for (let n = 0; n < 100_000; n++, waitedWrites++) await waitedState.set(thousand[waitedWrites % 1000] as string, waitedWrites);
  });
  stopWaiting.abort();
  await waiting;
  waitedState.stop();
  record(
    lineOf(
      'set, 1,000 keys, one waitFor pending',
      { value: setsWithWaiter, unit: 'ops/s' },
      [transitionSend],
      'the predicate reads a view: no snapshot per write',
    ),
  );

  const batchState = createThreadSafeState<Record<string, number>>({ maxHistorySize: 100_000 });
  let batch = 0;
  const updateMicros = await microsPerCall(
    () => undefined,
    () => batchState.update(Object.fromEntries(hundred.map((key) => [key, batch++]))),
  );
  record(lineOf('update of 100 keys', { value: updateMicros / 1000, unit: 'ms' }, [floors.transitionUpdate]));
  let rollbackTarget = 0;
  const rollbackMicros = await microsPerCall(
    async () => {
      rollbackTarget = batchState.getVersion();
      for (let i = 0; i < 100; i++) await batchState.set(hundred[i] as string, -i);
    },
    () => batchState.rollback(rollbackTarget),
  );
  record(lineOf('rollback over 100 versions', { value: rollbackMicros / 1000, unit: 'ms' }, [floors.ringRollback]));

  record(lineOf('read-heavy 90% get / 10% set, 100 keys', { value: await mixed((i) => i % 10 !== 0), unit: 'ops/s' }, [floors.readHeavy]));
  record(lineOf('write-heavy 10% get / 90% set, 100 keys', { value: await mixed((i) => i % 10 === 0), unit: 'ops/s' }, [floors.writeHeavy]));

  // Bounded means the same after 1,000,000 sets as after 100,000.
  record(lineOf('heap held by the state after 100,000 sets', { value: await heapAfter(100_000), unit: 'MB' }, [floors.ringHeap], 'history 1000'));
  record(lineOf('heap held by the state after 1,000,000 sets', { value: await heapAfter(1_000_000), unit: 'MB' }, [floors.ringHeap], 'history 1000'));
}
