/**
 * A replica that falls behind the trimmed stream while its own writes are
 * in flight loads a snapshot covering them: they are settled with the
 * outcome the snapshot kept, not left to time out as unavailable.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connectThreadSafeState, type ReplicatedThreadSafeState } from 'concord-state/redis';
import { pausableProxy } from './support/pausableProxy.ts';
import { testRedis, uniqueName, type TestRedis } from './support/redisServer.ts';

let redis: TestRedis;
const opened: ReplicatedThreadSafeState<Record<string, unknown>>[] = [];

beforeAll(async () => {
  redis = await testRedis();
});
afterAll(async () => {
  await Promise.all(opened.map((state) => state.close()));
  await redis.dispose();
});

it("settles a replica's own writes that the snapshot it reloads from covers, with their outcomes", { timeout: 60_000 }, async () => {
  const proxy = await pausableProxy(redis.port);
  try {
    const name = uniqueName('reload-pending');
    const options = { url: redis.url, name, snapshotEvery: 5, maxHistorySize: 50, commandTimeoutMs: 30_000 };
    const alpha = await connectThreadSafeState<Record<string, unknown>>(options);
    const beta = await connectThreadSafeState<Record<string, unknown>>({ ...options, url: proxy.url });
    opened.push(alpha, beta);
    await beta.set('counter', 0);
    await alpha.sync();
    const before = beta.actor;
    // Beta's writes reach Redis, but nothing Redis sends back reaches beta, while alpha writes on past two snapshots.
    proxy.pause('replies');
    // Answers beta's waiting read with alpha's entry, so beta's first own entry is read only after the trim.
    await alpha.set('pre', true);
    const started = Date.now();
    const mine = [beta.set('a', 1), beta.delete('counter'), beta.modify('b', () => 'made', { default: '' }), beta.set('a', 2, { expectedKeyVersion: 0 })];
    await new Promise((resolve) => setTimeout(resolve, 200));
    for (let i = 0; i < 20; i++) await alpha.set('k', i);
    proxy.resume();
    const outcomes = await Promise.allSettled(mine);
    expect(beta.actor, 'beta never fell behind the trimmed stream: nothing was tested').not.toBe(before);
    expect(outcomes.map((outcome) => (outcome.status === 'fulfilled' ? outcome.value : (outcome.reason as Error).name))).toEqual([
      3,
      true,
      'made',
      'StateKeyConflictError',
    ]);
    expect(Date.now() - started).toBeLessThan(30_000);
  } finally {
    await proxy.close();
  }
});
