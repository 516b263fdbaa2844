import type { Commit } from './commands/stateContext.ts';
import { StateTimeoutError, StateValidationError, type ThreadSafeStateError } from './errors.ts';

/** Told of every applied write: its version and its records. */
export type ChangeListener = (commit: Commit) => void;

/** Options of `waitFor`. */
export interface WaitForOptions {
  /** Reject with StateTimeoutError after this many milliseconds. @default no timeout */
  timeout?: number;
  /** Reject with the signal's reason when it aborts. */
  signal?: AbortSignal;
}

interface Waiter {
  check(): void;
  fail(error: unknown): void;
}

/** Runs a predicate over the newest version, as a view that is not copied. */
export type LatestReader<S> = (predicate: (snapshot: S) => boolean) => boolean;

/** Listener errors must not stop the state nor the other listeners; surface them as XState does. */
function reportListenerError(error: unknown): void {
  setTimeout(() => {
    throw error;
  });
}

/**
 * Subscribers and waiters, both driven by applied writes: no polling. A
 * waiter checks the current version first and then each new one, reading it
 * through `readLatest`; the snapshot is built only for the version that
 * satisfies it, so a write costs waiters their predicates, not a copy of
 * every key each.
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
      const { timeout, signal } = options;
      if (timeout !== undefined && !(typeof timeout === 'number' && timeout >= 0)) {
        reject(new StateValidationError(null, [{ path: ['timeout'], message: `timeout must be a number of milliseconds >= 0, received ${String(timeout)}` }]));
        return;
      }
      if (this.#closedWith !== null) return reject(this.#closedWith);
      if (signal?.aborted) return reject(signal.reason);
      let timer: ReturnType<typeof setTimeout> | undefined;
      let settled = false;
      const onAbort = () => waiter.fail(signal?.reason);
      const finish = () => {
        settled = true;
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
      waiter.check();
      if (settled) return;
      this.#waiters.add(waiter);
      if (timeout !== undefined && Number.isFinite(timeout)) {
        timer = setTimeout(() => waiter.fail(new StateTimeoutError(timeout, 'waitFor')), timeout);
      }
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Tells listeners and waiters of one applied write. */
  publish(commit: Commit): void {
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
