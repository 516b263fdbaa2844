/**
 * The peer a user would hand-write instead of a replicated state: the state
 * in one Redis hash beside a version counter, each write a WATCH of the hash,
 * a read of the version, and a MULTI/EXEC setting the field and the next
 * version, tried again whenever EXEC fails because another client wrote the
 * hash in between. WATCH belongs to a connection, so each write in flight
 * has a connection of its own.
 */
import { Redis } from 'ioredis';
import type { Batch, RedisSubject } from './redisSubjects.ts';

const VERSION_FIELD = '__version';

/**
 * Sets `field` under WATCH/MULTI/EXEC, again until no other write came
 * between; the version it made, or null when EXEC still failed at
 * `giveUpAt` (performance.now()), so that a round of many contended writes
 * ends on time instead of when the last of them wins.
 */
export async function watchedWrite(redis: Redis, hash: string, field: string, value: number, giveUpAt = Infinity): Promise<number | null> {
  do {
    await redis.watch(hash);
    const version = Number((await redis.hget(hash, VERSION_FIELD)) ?? 0) + 1;
    const committed = await redis.multi().hset(hash, field, JSON.stringify(value), VERSION_FIELD, version).exec();
    if (committed !== null) return version;
  } while (performance.now() < giveUpAt);
  return null;
}

/** The peer's state `name`, with as many connections as writes are in flight. */
export class WatchPeer implements RedisSubject {
  readonly #url: string;
  readonly #hash: string;
  readonly #connections: Redis[] = [];
  #value = 0;

  constructor(url: string, name: string) {
    this.#url = url;
    this.#hash = `peer:{${name}}`;
  }

  async batch(inFlight: number): Promise<Batch> {
    while (this.#connections.length < inFlight) this.#connections.push(new Redis(this.#url));
    await Promise.all(this.#connections.map((redis) => redis.ping()));
    return (keys, giveUpAt) =>
      Promise.allSettled(
        keys.map(async (key, lane) => (await watchedWrite(this.#connections[lane] as Redis, this.#hash, key, this.#value++, giveUpAt)) !== null),
      );
  }

  async close(): Promise<void> {
    await Promise.all(this.#connections.map((redis) => redis.quit()));
  }
}
