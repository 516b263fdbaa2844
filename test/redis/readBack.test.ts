/**
 * A replica's appends read the stream back on their own connection: the
 * pipeline of entries ends with a read of what follows the replica's last
 * entry, so a write awaited one by one settles after one round trip, and the
 * tail reader stays out of the way while appends are in flight.
 */
import { describe, expect, it } from 'vitest';
import { replicaPool } from './support/replicaPool.ts';
import { uniqueName } from './support/redisServer.ts';

const pool = replicaPool<Record<string, number>>();

/** How many times the server ran `command` since its statistics were reset. */
async function calls(command: string): Promise<number> {
  const stats = await pool.raw.info('commandstats');
  return Number(new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(stats)?.[1] ?? 0);
}

describe('the read behind each append', () => {
  it('settles writes awaited one by one from their own pipelines, the tail reader reading between them only', async () => {
    const name = uniqueName('readback');
    const state = await pool.replica(name);
    await state.sync();
    await pool.raw.config('RESETSTAT');
    const writes = 100;
    for (let i = 0; i < writes; i++) await state.set(`k${i % 10}`, i);
    const [ranges, reads] = [await calls('xrange'), await calls('xread')];
    expect(state.getVersion()).toBe(writes);
    expect(ranges).toBeGreaterThanOrEqual(writes);
    // Without the read-back, the tail reader reads every entry: at least one XREAD per write.
    expect(reads).toBeLessThan(writes / 4);
    const joined = await pool.replica(name);
    await joined.sync();
    expect({ ...joined.snapshot() }).toEqual({ ...state.snapshot() });
    expect(joined.getHistory()).toEqual(state.getHistory());
  });
});
