/**
 * Concord on the reference's own workloads where no other line matches
 * them: the Python bench (../shared/reference/python/bench_ref.py) writes a
 * small object {n, tag} per set, and keeps 1,000 of them, where Concord's
 * other lines write numbers. Each line here is measured against its Python
 * figure in reference.ts.
 */
import { createThreadSafeState, type ThreadSafeState } from 'concord-state';
import { keyNames, microsPerCall, opsPerSecond, opsPerSecondAsync } from './harness.ts';
import { lineOf, type Line } from './line.ts';

type Small = { n: number; tag: string };
type SmallState = ThreadSafeState<Record<string, Small>>;

const small = (n: number): Small => ({ n, tag: 'agent-1' });

/** A state of `keyCount` small objects, with a full history, as the reference's prefilled state has. */
async function prefilled(keyCount: number): Promise<{ state: SmallState; keys: string[] }> {
  const keys = keyNames(keyCount);
  const state: SmallState = createThreadSafeState<Record<string, Small>>({ maxHistorySize: 1000 });
  for (let i = 0; i < Math.max(keyCount, 1000); i++) await state.set(keys[i % keyCount] as string, small(i));
  return { state, keys };
}

const thousand = (count: number) => count.toLocaleString('en-US');

async function setAndGet(keyCount: number, record: (line: Line) => void): Promise<void> {
  const { state, keys } = await prefilled(keyCount);
  let i = 0;
  const sets = await opsPerSecondAsync(50_000, async () => {
    for (let n = 0; n < 50_000; n++, i++) await state.set(keys[i % keyCount] as string, small(i));
  });
  record(lineOf(`set, a small object, ${thousand(keyCount)} keys`, { value: sets, unit: 'ops/s' }));
  const gets = opsPerSecond(500_000, () => {
    for (let n = 0; n < 500_000; n++) state.get(keys[n % keyCount] as string);
  });
  record(lineOf(`get, a small object (cloned), ${thousand(keyCount)} keys`, { value: gets, unit: 'ops/s' }));
  state.stop();
}

/** Lines named as reference.ts looks them up, not printed: each is printed beside its Python figure. */
export async function measureReferenceWorkloads(): Promise<Line[]> {
  const lines: Line[] = [];
  const record = (line: Line) => void lines.push(line);
  for (const keyCount of [10, 1000, 10_000]) await setAndGet(keyCount, record);
  const { state, keys } = await prefilled(1000);
  const batch = Object.fromEntries(keys.slice(0, 100).map((key, i) => [key, small(i)]));
  record(
    lineOf('update of 100 small objects, 1,000 keys', {
      value:
        (await microsPerCall(
          () => undefined,
          () => state.update(batch),
        )) / 1000,
      unit: 'ms',
    }),
  );
  let bump = 0;
  const firstSnapshot = await microsPerCall(
    () => state.set('key_1', small(bump++)).then(() => undefined),
    () => state.snapshot(),
  );
  record(lineOf('snapshot(), first after a write, 1,000 small objects', { value: firstSnapshot, unit: 'µs' }));
  for (const depth of [10, 100]) {
    let target = 0;
    const rollback = await microsPerCall(
      async () => {
        target = state.getVersion();
        for (let j = 0; j < depth; j++) await state.set(keys[(bump++ * 7) % 1000] as string, small(j));
      },
      () => state.rollback(target),
    );
    record(lineOf(`rollback over ${depth} versions, 1,000 small objects`, { value: rollback / 1000, unit: 'ms' }));
  }
  state.stop();
  return lines;
}
