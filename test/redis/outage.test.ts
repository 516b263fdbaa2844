/**
 * redis-server killed with SIGKILL under load, then started again: reads go
 * on, writes reject with StateUnavailableError while it is away, nothing
 * acknowledged is lost (appendfsync always), and the replicas resume by
 * themselves. Always on a redis-server of this test's own: it is the one it stops.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connectThreadSafeState, StateUnavailableError, type ReplicatedThreadSafeState } from 'concord-state/redis';
import { ownRedis, uniqueName, type TestRedis } from './support/redisServer.ts';

type Shape = { counter: number; note: string };

let redis: TestRedis;
beforeAll(async () => {
  redis = await ownRedis('always');
});
afterAll(async () => {
  await redis.dispose();
});

/** Retries `write` until it resolves: Redis is back, but when each replica has reconnected is the machine's business. */
async function eventually<R>(write: () => Promise<R>, attempts = 100): Promise<R> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (!(error instanceof StateUnavailableError) || attempt === attempts) throw error;
    }
  }
}

it('survives redis-server killed under load and started again', { timeout: 90_000 }, async () => {
  const name = uniqueName('outage');
  const options = { url: redis.url, name, commandTimeoutMs: 500, blockMs: 200 };
  const a: ReplicatedThreadSafeState<Shape> = await connectThreadSafeState<Shape>(options);
  const b: ReplicatedThreadSafeState<Shape> = await connectThreadSafeState<Shape>(options);
  try {
    let acknowledged = 0;
    let stopped = false;
    const load = (async () => {
      while (!stopped) {
        try {
          acknowledged = await a.modify('counter', (n) => n + 1, { default: 0, changedBy: 'a' });
        } catch (error) {
          if (!(error instanceof StateUnavailableError)) throw error;
        }
      }
    })();
    await b.waitFor((s) => (s.counter ?? 0) >= 50);
    await redis.stop(true);
    const seen = a.get('counter');

    // Redis is gone: reads serve the last applied state, writes and sync() reject with the typed error.
    expect(a.get('counter')).toBe(seen);
    expect(b.getVersion()).toBeGreaterThanOrEqual(50);
    const refused = await b.set('note', 'while down').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(StateUnavailableError);
    expect(refused).toMatchObject({ name: 'StateUnavailableError', operation: 'set a key', timeoutMs: 500 });
    await expect(b.sync()).rejects.toBeInstanceOf(StateUnavailableError);
    const acknowledgedBeforeRestart = acknowledged;

    await redis.restart();
    await eventually(() => b.set('note', 'back'));
    stopped = true;
    await load;
    await eventually(() => a.sync());
    await eventually(() => b.sync());
    expect(a.get('note')).toBe('back');
    expect(b.snapshot()).toEqual(a.snapshot());
    expect(b.getHistory()).toEqual(a.getHistory());
    // Every increment acknowledged before the kill survived it.
    expect(a.get('counter')).toBeGreaterThanOrEqual(acknowledgedBeforeRestart);
    expect(a.get('counter')).toBeGreaterThanOrEqual(acknowledged);
    // A replica connected now reads the same state from Redis's own files.
    const c = await connectThreadSafeState<Shape>(options);
    await c.sync();
    expect(c.snapshot()).toEqual(a.snapshot());
    expect(c.getVersion()).toBe(a.getVersion());
    await c.close();
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
});
