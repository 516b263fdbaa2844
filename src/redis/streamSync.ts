import type { Redis } from 'ioredis';
import type { ThreadSafeStateError } from '../errors.ts';
import { StateUnavailableError } from './redisErrors.ts';
import { sleep } from './sleep.ts';
import { compareStreamIds } from './streamIds.ts';

interface Waiter {
  readonly id: string;
  resolve(): void;
  fail(error: unknown): void;
}

/**
 * `sync()`: asks Redis for the stream's newest entry, then waits until the
 * replica has applied it. Both steps share one deadline, `timeoutMs` from
 * the call: without Redis it rejects with StateUnavailableError, never hangs.
 */
export class StreamSync {
  readonly #redis: Redis;
  readonly #stream: string;
  readonly #timeoutMs: number;
  readonly #waiters = new Set<Waiter>();

  constructor(redis: Redis, stream: string, timeoutMs: number) {
    this.#redis = redis;
    this.#stream = stream;
    this.#timeoutMs = timeoutMs;
  }

  async sync(lastApplied: () => string): Promise<void> {
    const deadline = Date.now() + this.#timeoutMs;
    const newest = await this.#newestId(deadline);
    if (compareStreamIds(lastApplied(), newest) >= 0) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => waiter.fail(new StateUnavailableError('sync', this.#timeoutMs, true)), Math.max(0, deadline - Date.now()));
      const waiter: Waiter = {
        id: newest,
        resolve: () => (clearTimeout(timer), this.#waiters.delete(waiter), resolve()),
        fail: (error) => (clearTimeout(timer), this.#waiters.delete(waiter), reject(error)),
      };
      this.#waiters.add(waiter);
    });
  }

  /** The replica has applied every entry up to `lastApplied`. */
  reached(lastApplied: string): void {
    for (const waiter of [...this.#waiters]) if (compareStreamIds(lastApplied, waiter.id) >= 0) waiter.resolve();
  }

  close(error: ThreadSafeStateError): void {
    for (const waiter of [...this.#waiters]) waiter.fail(error);
  }

  /** The stream's newest entry id ('0-0' when it has none), asked again until the deadline while Redis is away. */
  async #newestId(deadline: number): Promise<string> {
    for (let attempt = 0; ; attempt++) {
      try {
        if (this.#redis.status === 'ready') {
          const [newest] = await this.#redis.xrevrange(this.#stream, '+', '-', 'COUNT', 1);
          return newest?.[0] ?? '0-0';
        }
      } catch {
        // Asked again below, until the deadline.
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new StateUnavailableError('sync', this.#timeoutMs, false);
      await sleep(Math.min(25 * 2 ** attempt, 250, left));
    }
  }
}
