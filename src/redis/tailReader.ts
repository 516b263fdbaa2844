import type { Redis } from 'ioredis';
import type { RedisKeys } from './redisKeys.ts';
import { sleep } from './sleep.ts';
import { decodeEntry, type StreamEntry } from './streamEntry.ts';
import { compareStreamIds } from './streamIds.ts';

/** Entries taken in one read: a catching-up replica applies them in one go. */
export const READ_COUNT = 1000;

/** An entry as Redis returns it with buffers. */
export type RawEntry = [id: Buffer, fields: Buffer[]];

/** Where the entries read go. */
export interface TailSink {
  /** The last entry applied: the read continues after it. */
  lastId(): string;
  apply(entries: readonly StreamEntry[]): void;
  /** The stream was trimmed past `lastId()`: load the newest snapshot before reading on. */
  gap(): Promise<void>;
  /** Settles once no append that reads the stream back is in flight: its reply brings what this read would (see Proposer). */
  quiet(): Promise<void>;
}

type XReadReply = [stream: Buffer, entries: RawEntry[]][] | null;

/**
 * Hands `sink` the entries a read after `after` returned, the trim point
 * having been read after them on the same connection. A trim point above
 * the last entry applied means entries between may be gone: the sink loads a
 * snapshot instead. Entries applied since the read was sent (another read
 * brought them) are skipped: only what follows the last applied goes on.
 */
export function deliverRead(sink: TailSink, after: string, entries: readonly RawEntry[], floor: unknown): Promise<void> | undefined {
  const last = sink.lastId();
  if (typeof floor === 'string' && compareStreamIds(floor, last) > 0) return sink.gap();
  const fresh = last === after ? entries : entries.filter(([id]) => compareStreamIds(id.toString(), last) > 0);
  if (fresh.length > 0) sink.apply(fresh.map(([id, fields]) => decodeEntry(id, fields)));
  return undefined;
}

/**
 * Reads the stream after the last entry applied, for ever, on a connection
 * of its own (a blocking read holds it), whenever this replica's own appends
 * are not reading it back already. Each read is a finite BLOCK, and is
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
    await this.#sink.quiet();
    if (this.#stopped) return;
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
    await deliverRead(this.#sink, after, (read as XReadReply)?.[0]?.[1] ?? [], floor);
  }
}
