/**
 * One state, several replicas in this process, a real redis-server: what
 * the stream's order decides (duplicates, compare-and-swap, joining from a
 * snapshot) and what is refused before anything is sent.
 */
import { describe, expect, it } from 'vitest';
import { StateConflictError, StateOptionsError } from 'concord-state';
import { connectThreadSafeState, StateEntryTooLargeError, StateKeyConflictError, type ReplicatedThreadSafeState } from 'concord-state/redis';
import { replicaPool } from './support/replicaPool.ts';
import { uniqueName } from './support/redisServer.ts';

type Shape = { counter: number; note: string; blob: string; [key: string]: unknown };

const pool = replicaPool<Shape>();
const replica = (name: string, options: { snapshotEvery?: number; maxHistorySize?: number; maxEntryBytes?: number } = {}) => pool.replica(name, options);

const held = (state: ReplicatedThreadSafeState<Shape>) => ({
  contents: { ...state.snapshot() },
  version: state.getVersion(),
  history: state.getHistory(),
  marks: state.getKnownGoodMarks(),
});

describe('a replicated state', () => {
  it('applies a duplicate of an entry once, on every replica', async () => {
    const name = uniqueName('dup');
    const [a, b] = [await replica(name), await replica(name)];
    await a.modify('counter', (n) => n + 1, { default: 0 });
    const stream = `concord:{${name}}:stream`;
    const [[, fields] = ['', []]] = await pool.raw.xrangeBuffer(stream, '-', '+');
    // The same entry twice more, as a client re-sending after a reconnect would.
    await pool.raw.xadd(stream, '*', ...fields);
    await pool.raw.xadd(stream, '*', ...fields);
    await a.set('note', 'after', { changedBy: 'a' });
    await Promise.all([a.sync(), b.sync()]);
    expect(await pool.raw.xlen(stream)).toBe(4);
    expect(a.get('counter')).toBe(1);
    expect(a.getVersion()).toBe(2);
    expect(held(b)).toEqual(held(a));
    const late = await replica(name);
    await late.sync();
    expect(held(late)).toEqual(held(a));
  });

  it('decides expectedVersion and expectedKeyVersion when the entry is applied: a failed one makes no version anywhere', async () => {
    const name = uniqueName('cas');
    const [a, b] = [await replica(name), await replica(name)];
    await a.set('note', 'one');
    await b.sync();
    expect(b.keyVersion('note')).toBe(1);
    expect(b.keyVersion('counter')).toBe(0);
    const stale = b.keyVersion('note');
    await a.set('note', 'two');
    await expect(b.set('note', 'from b', { expectedKeyVersion: stale })).rejects.toBeInstanceOf(StateKeyConflictError);
    await expect(b.set('note', 'from b', { expectedVersion: 1 })).rejects.toBeInstanceOf(StateConflictError);
    await expect(b.set('counter', 5, { expectedKeyVersion: 0 })).resolves.toBe(3);
    await expect(a.delete('counter', { expectedKeyVersion: 1 })).rejects.toBeInstanceOf(StateKeyConflictError);
    await expect(a.update({ note: 'three', counter: 6 }, { expectedKeyVersions: { note: 2, counter: 3 } })).resolves.toBe(4);
    await Promise.all([a.sync(), b.sync()]);
    expect(a.getVersion()).toBe(4);
    expect(held(b)).toEqual(held(a));
    expect(a.keyVersion('note')).toBe(4);
  });

  it('lets a replica joining after 10,000 writes, with the stream trimmed, bootstrap from the snapshot and match', { timeout: 60_000 }, async () => {
    const name = uniqueName('join');
    const writer = await replica(name, { snapshotEvery: 500, maxHistorySize: 200 });
    for (let batch = 0; batch < 20; batch++) {
      await Promise.all(Array.from({ length: 500 }, (_, i) => writer.set(`key-${i % 37}`, batch * 500 + i, { changedBy: `w${i % 3}` })));
    }
    await writer.markKnownGood('halfway');
    await writer.delete('key-3');
    const stream = `concord:{${name}}:stream`;
    expect(await pool.raw.xlen(stream)).toBeLessThan(2_000);
    const joiner = await replica(name, { snapshotEvery: 500, maxHistorySize: 200 });
    await Promise.all([writer.sync(), joiner.sync()]);
    expect(joiner.getVersion()).toBe(10_001);
    expect(held(joiner)).toEqual(held(writer));
    expect(joiner.keyVersion('key-3')).toBe(writer.keyVersion('key-3'));
    expect(joiner.keyVersion('key-4')).toBe(writer.keyVersion('key-4'));
    // Both go on from there as one state.
    await joiner.modify('counter', (n) => n + 1, { default: 41 });
    await writer.sync();
    expect(writer.get('counter')).toBe(42);
  });

  it('refuses a replica given another maxHistorySize than the state has', async () => {
    const name = uniqueName('history');
    await replica(name, { maxHistorySize: 50 });
    const refused = await connectThreadSafeState<Shape>({ url: pool.redis.url, name, maxHistorySize: 60 }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(StateOptionsError);
    expect((refused as Error).message).toContain('the state has 50, this replica was given 60');
  });

  it('refuses an entry over maxEntryBytes before sending it: nothing changes anywhere', async () => {
    const name = uniqueName('size');
    const a = await replica(name, { maxEntryBytes: 4096 });
    await expect(a.set('blob', 'x'.repeat(5000))).rejects.toBeInstanceOf(StateEntryTooLargeError);
    await a.set('blob', 'x'.repeat(1000));
    await a.sync();
    expect(await pool.raw.xlen(`concord:{${name}}:stream`)).toBe(1);
    expect(a.getVersion()).toBe(1);
  });

  it('refuses a command sent to its actor directly, which the other replicas would never see', async () => {
    const a = await replica(uniqueName('actor'));
    a.actor.send({ type: 'state.set', key: 'note', value: 'sneaked' });
    expect(a.getVersion()).toBe(0);
    expect(a.get('note')).toBeUndefined();
  });
});
