import type { Redis } from 'ioredis';
import type { RedisKeys } from './redisKeys.ts';
import { sleep } from './sleep.ts';
import { decodeEntry, type StreamEntry } from './streamEntry.ts';
import { compareStreamIds } from './streamIds.ts';

/** Entries taken in one read: a catching-up replica applies them in one go. */
const READ_COUNT = 1000;

/** Where the entries read go. */
export interface TailSink {
  /** The last entry applied: the read continues after it. */
  lastId(): string;
  apply(entries: readonly StreamEntry[]): void;
  /** The stream was trimmed past `lastId()`: load the newest snapshot before reading on. */
  gap(): Promise<void>;
}

type XReadReply = [stream: Buffer, entries: [id: Buffer, fields: Buffer[]][]][] | null;

/**
 * Reads the stream after the last entry applied, for ever, on a connection
 * of its own (a blocking read holds it). Each read is a finite BLOCK, and is
 * pipelined with a read of the trim point: both run in that order on the
 * connection, so a trim point at or below the last entry applied proves that
 * nothing between it and the entries read was trimmed; above it, the entries
 * are not applied and the replica loads a snapshot instead. Connection
 * errors are waited out: ioredis reconnects, and the read starts again.
 */
export class TailReader {
  readonly #redis: Redis;
  readonly #keys: RedisKeys;
  readonly #blockMs: number;
  readonly #sink: TailSink;
  #stopped = false;
  #running: Promise<void> = Promise.resolve();

  constructor(redis: Redis, keys: RedisKeys, blockMs: number, sink: TailSink) {
    this.#redis = redis;
    this.#keys = keys;
    this.#blockMs = blockMs;
    this.#sink = sink;
  }

  start(): void {
    this.#running = this.#run();
  }

  /** Ends the loop; the connection is closed, so a read blocked in Redis ends at once. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#redis.disconnect();
    await this.#running;
  }

  async #run(): Promise<void> {
    let failures = 0;
    while (!this.#stopped) {
      try {
        await this.#readOnce();
        failures = 0;
      } catch {
        if (!this.#stopped) await sleep(Math.min(25 * 2 ** failures++, 500));
      }
    }
  }

  async #readOnce(): Promise<void> {
    if (this.#redis.status !== 'ready') throw new Error('not connected');
    const after = this.#sink.lastId();
    const results = await this.#redis
      .pipeline()
      .xreadBuffer('COUNT', READ_COUNT, 'BLOCK', this.#blockMs, 'STREAMS', this.#keys.stream, after)
      .hget(this.#keys.meta, 'floorId')
      .exec();
    if (results === null || this.#stopped) return;
    const [[readError, read] = [null, null], [floorError, floor] = [null, null]] = results;
    if (readError !== null) throw readError;
    if (floorError !== null) throw floorError;
    if (typeof floor === 'string' && compareStreamIds(floor, after) > 0) return this.#sink.gap();
    const entries = (read as XReadReply)?.[0]?.[1] ?? [];
    if (entries.length > 0) this.#sink.apply(entries.map(([id, fields]) => decodeEntry(id, fields)));
  }
}
