/**
 * The raw Redis floors under the replicated writes, run by the writer
 * processes like the lines they stand under, with ioredis alone and the
 * very entry Concord appends: XADD awaited one at a time, XADD 256 to a
 * pipeline, and XADD then XREAD of it on a second connection, one at a
 * time, which is what a replicated write awaited one by one does at the least.
 */
import { Redis } from 'ioredis';
import { appendSample, BLOCK_MS, idsIn, sampleEntry } from './redisEntry.ts';
import type { RedisSubject } from './redisSubjects.ts';

/** An XADD's outcome as a write's: a command error rejects it, as a failed set would. */
const written = (error: Error | null): PromiseSettledResult<boolean> =>
  error === null ? { status: 'fulfilled', value: true } : { status: 'rejected', reason: error };

/** XADD to the stream of `name`: one at a time, or as many as are asked at once to one pipeline. */
export function xaddFloor(url: string, name: string): RedisSubject {
  const redis = new Redis(url);
  const stream = `bench:floor:{${name}}:xadd`;
  return {
    batch: async () => {
      await redis.ping();
      return async (keys) => {
        if (keys.length === 1) {
          await appendSample(redis, stream);
          return [written(null)];
        }
        const pipeline = redis.pipeline();
        for (let i = 0; i < keys.length; i++) pipeline.xadd(stream, '*', ...sampleEntry());
        return ((await pipeline.exec()) ?? []).map(([error]) => written(error));
      };
    },
    close: async () => void (await redis.del(stream), await redis.quit()),
  };
}

/** XADD on one connection, then XREAD on a second one until the entry is read back: one write at a time. */
export function readBackFloor(url: string, name: string): RedisSubject {
  const writer = new Redis(url);
  const reader = new Redis(url);
  const stream = `bench:floor:{${name}}:readBack`;
  let after = '0-0';
  return {
    batch: async (inFlight) => {
      if (inFlight !== 1) throw new Error(`the read-back floor writes one at a time, asked for ${inFlight}`);
      await Promise.all([writer.ping(), reader.ping()]);
      return async () => {
        const id = await appendSample(writer, stream);
        for (let read: string[] = []; !read.includes(id); after = read.at(-1) ?? after)
          read = idsIn(await reader.xreadBuffer('COUNT', 1000, 'BLOCK', BLOCK_MS, 'STREAMS', stream, after));
        return [written(null)];
      };
    },
    close: async () => void (await writer.del(stream), await Promise.all([writer.quit(), reader.quit()])),
  };
}
