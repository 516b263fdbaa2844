import { z } from 'zod';
import type { Commit } from './commands/stateEngine.ts';
import { StateTimeoutError, StateValidationError, type ThreadSafeStateError } from './errors.ts';
import { unknownOptions } from './options.ts';

/** Told of every applied write: its version and its records. */
export type ChangeListener = (commit: Commit) => void;

/** Options of `waitFor`. A field not named here is refused with StateValidationError. */
export interface WaitForOptions {
  /** Reject with StateTimeoutError after this many milliseconds. @default no timeout */
  timeout?: number;
  /** Reject with the signal's reason when it aborts. */
  signal?: AbortSignal;
}

/** The fields of `WaitForOptions`. A timeout of Infinity means none; the signal is read as an AbortSignal, not checked to be one. */
export const WaitForOptionsSchema = z.object({
  timeout: z.union([z.number().nonnegative(), z.literal(Infinity)]).optional(),
  signal: z.custom<AbortSignal>().optional(),
});

interface Waiter {
  check(): void;
  fail(error: unknown): void;
}

/** Runs a predicate over the version being published, as a view that is not copied. */
export type LatestReader<S> = (predicate: (snapshot: S) => boolean) => boolean;

/** Listener errors must not stop the state nor the other listeners; surface them as XState does. */
function reportListenerError(error: unknown): void {
  setTimeout(() => {
    throw error;
  });
}

/**
 * Subscribers and waiters, both driven by applied writes: no polling. A
 * waiter checks the current snapshot first, then each new version as it is
 * published, through `readLatest`: a write costs waiters their predicates,
 * and a snapshot is built only for the version that satisfies one. While a
 * write is published the mailbox is busy, so writes made by predicates and
 * listeners queue behind it and the version read cannot move.
 */
export class ChangeFeed<S> {
  readonly #listeners = new Set<ChangeListener>();
  readonly #waiters = new Set<Waiter>();
  readonly #currentSnapshot: () => S;
  readonly #readLatest: LatestReader<S>;
  #closedWith: ThreadSafeStateError | null = null;

  constructor(currentSnapshot: () => S, readLatest: LatestReader<S>) {
    this.#currentSnapshot = currentSnapshot;
    this.#readLatest = readLatest;
  }

  subscribe(listener: ChangeListener): () => void {
    if (this.#closedWith === null) this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  waitFor(predicate: (snapshot: S) => boolean, options: WaitForOptions = {}): Promise<S> {
    return new Promise<S>((resolve, reject) => {
      const refused = unknownOptions(options, WaitForOptionsSchema);
      if (refused !== null) return reject(refused);
      const { timeout, signal } = options;
      if (timeout !== undefined && !(typeof timeout === 'number' && timeout >= 0)) {
        reject(new StateValidationError(null, [{ path: ['timeout'], message: `timeout must be a number of milliseconds >= 0, received ${String(timeout)}` }]));
        return;
      }
      if (this.#closedWith !== null) return reject(this.#closedWith);
      if (signal?.aborted) return reject(signal.reason as unknown);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const onAbort = () => waiter.fail(signal?.reason);
      const finish = () => {
        this.#waiters.delete(waiter);
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const waiter: Waiter = {
        check: () => {
          try {
            if (!this.#readLatest(predicate)) return;
          } catch (error) {
            return waiter.fail(error);
          }
          finish();
          resolve(this.#currentSnapshot());
        },
        fail(error) {
          finish();
          reject(error);
        },
      };
      // The first check reads a snapshot, not the view: out of a write's
      // publish the mailbox is idle, so a write the predicate makes is applied
      // at once and would move a view under it.
      const snapshot = this.#currentSnapshot();
      try {
        if (predicate(snapshot)) return resolve(snapshot);
      } catch (error) {
        return reject(error);
      }
      // The predicate may have stopped the state (the cast undoes the narrowing of the check above, which it made stale).
      const closedByPredicate = this.#closedWith as ThreadSafeStateError | null;
      if (closedByPredicate !== null) return reject(closedByPredicate);
      this.#waiters.add(waiter);
      if (timeout !== undefined && Number.isFinite(timeout)) {
        timer = setTimeout(() => waiter.fail(new StateTimeoutError(timeout, 'waitFor')), timeout);
      }
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Tells listeners and waiters of one applied write. */
  publish(commit: Commit): void {
    // Most writes have no one to tell: no copies of empty sets for them.
    if (this.#listeners.size === 0 && this.#waiters.size === 0) return;
    for (const listener of [...this.#listeners]) {
      try {
        listener(commit);
      } catch (error) {
        reportListenerError(error);
      }
    }
    for (const waiter of [...this.#waiters]) waiter.check();
  }

  /** Rejects every waiter with `error` and takes no more. */
  close(error: ThreadSafeStateError): void {
    this.#closedWith = error;
    this.#listeners.clear();
    for (const waiter of [...this.#waiters]) waiter.fail(error);
  }
}
