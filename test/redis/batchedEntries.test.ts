/**
 * Many proposals to one stream entry, against a real redis-server: a burst
 * of writes is one entry, each write still settles with its own outcome, a
 * copy of a request is applied once however the entries around it were cut,
 * and no entry is larger than `maxEntryBytes`.
 */
import { describe, expect, it } from 'vitest';
import { StateConflictError } from 'concord-state';
import { StateKeyConflictError, type ReplicatedThreadSafeState } from 'concord-state/redis';
import { decodeEntry, encodeProposal, entryFields } from '../../src/redis/streamEntry.ts';
import { replicaPool } from './support/replicaPool.ts';
import { uniqueName } from './support/redisServer.ts';

type Shape = Record<string, unknown>;

const pool = replicaPool<Shape>();
const replica = (name: string, options: { maxEntryBytes?: number } = {}) => pool.replica(name, options);

const streamOf = (name: string) => `concord:{${name}}:stream`;
const entriesOf = async (name: string) => (await pool.raw.xrangeBuffer(streamOf(name), '-', '+')).map(([id, fields]) => decodeEntry(id, fields));
const held = (state: ReplicatedThreadSafeState<Shape>) => ({ contents: { ...state.snapshot() }, version: state.getVersion(), history: state.getHistory() });
const setOf = (key: string, value: unknown) => encodeProposal({ write: { type: 'set', key, value }, timestamp: 1, changedBy: 'raw' });

describe('entries of many proposals', () => {
  it('sends the writes made while a pipeline is in flight as one entry, each settling with its own outcome, in order', async () => {
    const name = uniqueName('batch');
    const [a, b] = [await replica(name), await replica(name)];
    await a.set('first', 0);
    const burst = [
      a.set('k1', 1),
      a.set('k2', 2, { expectedVersion: 99 }),
      a.set('k3', 3, { expectedKeyVersion: 0 }),
      a.set('k3', 4, { expectedKeyVersion: 0 }),
      a.delete('k1'),
    ];
    const settled = await Promise.allSettled(burst);
    expect(settled.map((result) => (result.status === 'fulfilled' ? result.value : (result.reason as Error).constructor))).toEqual([
      2,
      StateConflictError,
      3,
      StateKeyConflictError,
      true,
    ]);
    const entries = await entriesOf(name);
    // The first set went alone; the burst made while it was in flight, in one entry.
    expect(entries.map((entry) => entry.proposals.length)).toEqual([1, 5]);
    await b.sync();
    expect(held(b)).toEqual(held(a));
    expect(a.snapshot()).toEqual({ first: 0, k3: 3 });
  });

  it('applies a request once when a copy arrives in an entry cut differently', async () => {
    const name = uniqueName('batch-dup');
    const a = await replica(name);
    await a.set('seed', 0);
    const origin = 'resending-replica';
    const [one, two, three] = [setOf('one', 1), setOf('two', 2), setOf('three', 3)];
    await pool.raw.xadd(
      streamOf(name),
      '*',
      ...entryFields({ origin, watermark: 1 }, [
        { requestId: 1, payload: one },
        { requestId: 2, payload: two },
      ]),
    );
    // Sent again after a lost reply, with the request made meanwhile: 1 and 2 are copies.
    await pool.raw.xadd(
      streamOf(name),
      '*',
      ...entryFields({ origin, watermark: 1 }, [
        { requestId: 1, payload: setOf('one', 'copy') },
        { requestId: 2, payload: setOf('two', 'copy') },
        { requestId: 3, payload: three },
      ]),
    );
    await a.sync();
    expect(a.snapshot()).toEqual({ seed: 0, one: 1, two: 2, three: 3 });
    expect(a.getVersion()).toBe(4);
    const late = await replica(name);
    await late.sync();
    expect(held(late)).toEqual(held(a));
  });

  it('cuts a burst into entries of at most maxEntryBytes', async () => {
    const name = uniqueName('batch-cap');
    const maxEntryBytes = 4096;
    const a = await replica(name, { maxEntryBytes });
    await a.set('seed', 0);
    const value = 'x'.repeat(900);
    await Promise.all(Array.from({ length: 20 }, (_, i) => a.set(`k${i}`, value)));
    const sizes = (await pool.raw.xrangeBuffer(streamOf(name), '-', '+')).map(([, fields]) => fields.reduce((sum, field) => sum + field.length, 0));
    expect(sizes.length).toBeGreaterThan(5);
    for (const size of sizes) expect(size).toBeLessThanOrEqual(maxEntryBytes);
    expect(Object.keys(a.snapshot())).toHaveLength(21);
  });

  it('skips, on every replica alike, an entry whose frames or request numbers do not add up', async () => {
    const name = uniqueName('batch-bad');
    const a = await replica(name);
    await a.set('seed', 0);
    const good = entryFields({ origin: 'other', watermark: 1 }, [{ requestId: 1, payload: setOf('one', 1) }]);
    const truncated = good.map((field, i) => (good[i - 1] === 'b' ? (field as Buffer).subarray(0, 6) : field));
    const miscounted = good.map((field, i) => (good[i - 1] === 'r' ? '1,2' : field));
    const unnumbered = good.map((field, i) => (good[i - 1] === 'r' ? 'x' : field));
    for (const fields of [truncated, miscounted, unnumbered]) await pool.raw.xadd(streamOf(name), '*', ...fields);
    await a.set('after', 1);
    const entries = await entriesOf(name);
    expect(entries.map((entry) => entry.proposals.length)).toEqual([1, 0, 0, 0, 1]);
    expect(a.snapshot()).toEqual({ seed: 0, after: 1 });
    const late = await replica(name);
    await late.sync();
    expect(held(late)).toEqual(held(a));
  });
});
