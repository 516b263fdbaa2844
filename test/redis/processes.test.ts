/**
 * Replicas in separate OS processes sharing one state through a real
 * redis-server: no lost update, no divergence, and a replica killed with
 * SIGKILL catches up when started again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StateChangeRecord } from 'concord-state';
import { connectThreadSafeState } from 'concord-state/redis';
import { finishTogether, startIncrementer } from './support/replicaProcess.ts';
import { testRedis, uniqueName, type TestRedis } from './support/redisServer.ts';

interface Held {
  readonly contents: Record<string, unknown>;
  readonly version: number;
  readonly history: StateChangeRecord[];
}

let redis: TestRedis;
beforeAll(async () => {
  redis = await testRedis();
});
afterAll(async () => {
  await redis.dispose();
});

describe('replicas in three processes', () => {
  it('each make 300 modify increments of one counter: all end at exactly 900, with the same contents, version and history', { timeout: 120_000 }, async () => {
    const name = uniqueName('three');
    const children = ['p1', 'p2', 'p3'].map((label) => startIncrementer(redis.url, name, label, 300));
    await finishTogether(children);
    const held = children.map(({ lines }) => JSON.parse(lines.at(-1) ?? 'null') as Held);
    expect(held[0]?.contents).toEqual({ counter: 900 });
    expect(held[0]?.version).toBe(900);
    // 900 records per replica in a window of 1000: the whole history, one record per increment.
    expect(held[0]?.history).toHaveLength(900);
    expect(held[1]).toEqual(held[0]);
    expect(held[2]).toEqual(held[0]);
    const byWriter = new Map<string | null, number>();
    for (const record of held[0]?.history ?? []) byWriter.set(record.changedBy, (byWriter.get(record.changedBy) ?? 0) + 1);
    expect(Object.fromEntries(byWriter)).toEqual({ p1: 300, p2: 300, p3: 300 });
    // A replica in this process, connected afterwards, reads the same.
    const here = await connectThreadSafeState<{ counter: number }>({ url: redis.url, name });
    try {
      await here.sync();
      expect({ contents: { ...here.snapshot() }, version: here.getVersion(), history: here.getHistory() }).toEqual(held[0]);
    } finally {
      await here.close();
    }
  });

  it('a replica killed with SIGKILL mid-run and started again catches up and matches the others', { timeout: 120_000 }, async () => {
    const name = uniqueName('killed');
    const survivor = await connectThreadSafeState<{ counter: number }>({ url: redis.url, name });
    try {
      const victim = startIncrementer(redis.url, name, 'victim', 'forever');
      const steady = startIncrementer(redis.url, name, 'steady', 200);
      // Killed once it has had some writes acknowledged, while both write.
      await victim.line((line) => line === 'acknowledged 40' || /^acknowledged (4\d|[5-9]\d|\d{3,})$/.test(line));
      victim.child.kill('SIGKILL');
      expect(await victim.exited).toBe('SIGKILL');
      const acknowledged = victim.lines.filter((line) => line.startsWith('acknowledged ')).map((line) => Number(line.slice('acknowledged '.length)));
      const restarted = startIncrementer(redis.url, name, 'restarted', 50);
      await finishTogether([steady, restarted]);
      const held = JSON.parse(restarted.lines.at(-1) ?? 'null') as Held;
      await survivor.sync();
      expect({ contents: { ...survivor.snapshot() }, version: survivor.getVersion(), history: survivor.getHistory() }).toEqual(held);
      // Every write the victim saw acknowledged is in the state: one record of its own per acknowledged increment, at least.
      const victimRecords = held.history.filter((record) => record.changedBy === 'victim').map((record) => record.newValue);
      for (const value of acknowledged) expect(victimRecords).toContain(value);
      expect(held.contents.counter).toBe(victimRecords.length + 200 + 50);
    } finally {
      await survivor.close();
    }
  });
});
