import fc from 'fast-check';
import { createActor, toPromise, type AnyActorLogic } from 'xstate';
import type { StateChangeRecord } from '../schemas.ts';
import type { StateSnapshot, ThreadSafeState } from '../threadSafeState.ts';
import { soakRuns } from './soak.ts';

/** What the invariant is checked on, once the workflow has finished. */
export interface FinalState<T extends object> {
  readonly snapshot: StateSnapshot<T>;
  readonly history: readonly StateChangeRecord[];
  readonly version: number;
}

/** Options of `checkInterleavings`. */
export interface InterleavingOptions<T extends object> {
  /** A fresh state for each run. */
  createState: () => ThreadSafeState<T>;
  /**
   * Starts the workflow on `state`, whose writes wait for the scheduler: a
   * promise that settles when the agents are done, or an actor logic (a
   * workflow machine) that is run to completion.
   */
  workflow: (state: ThreadSafeState<T>) => Promise<unknown> | AnyActorLogic;
  /** Must hold on every run's final state: return false or throw to fail the run. */
  invariant: (final: FinalState<T>) => boolean | void;
  /** Runs; the FC_NUM_RUNS environment variable raises it for a soak. @default 100 */
  numRuns?: number;
  /** Replays a failure: the seed fast-check printed. */
  seed?: number;
  /** Replays a failure: the path fast-check printed. */
  path?: string;
  /** A run whose workflow has not finished by then fails. @default 10000 */
  runTimeoutMs?: number;
}

const WRITES = new Set(['set', 'update', 'delete', 'clear', 'modify', 'rollback', 'clearHistory']);

/**
 * The same state, except that each write waits until `scheduler` lets it go:
 * the scheduler then tries the orders in which the agents' writes reach the
 * mailbox. Reads stay synchronous.
 */
export function scheduledState<T extends object>(state: ThreadSafeState<T>, scheduler: fc.Scheduler): ThreadSafeState<T> {
  return new Proxy(state, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      const method = (value as (...args: unknown[]) => unknown).bind(target);
      if (typeof property !== 'string' || !WRITES.has(property)) return method;
      return (...args: unknown[]) => {
        const label = `${property}(${args
          .filter((arg) => typeof arg !== 'function')
          .map((arg) => fc.stringify(arg))
          .join(', ')})`;
        return scheduler.schedule(Promise.resolve(label), label).then(() => method(...args));
      };
    },
  });
}

function isPromise(value: unknown): value is Promise<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/** The property behind `checkInterleavings`, for `fc.assert` or `fc.check`. */
export function interleavingProperty<T extends object>(options: InterleavingOptions<T>) {
  return fc.asyncProperty(fc.scheduler(), async (scheduler) => {
    const state = options.createState();
    try {
      const started = options.workflow(scheduledState(state, scheduler));
      const actor = isPromise(started) ? undefined : createActor(started).start();
      const done = actor === undefined ? (started as Promise<unknown>) : toPromise(actor);
      const timeoutMs = options.runTimeoutMs ?? 10_000;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const overdue = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`the workflow did not finish within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        await Promise.race([scheduler.waitFor(done), overdue]);
      } finally {
        clearTimeout(timer);
        actor?.stop();
      }
      const final = { snapshot: state.snapshot(), history: state.getHistory(), version: state.getVersion() };
      if (options.invariant(final) === false) throw new Error(`the invariant does not hold on ${fc.stringify(final.snapshot)}`);
    } finally {
      state.stop();
    }
  });
}

/**
 * Property-tests a workflow under many interleavings of its agents' writes
 * (fast-check's scheduler), checking `invariant` on the final state and
 * history of each. Throws with the failing order of writes.
 *
 * @example
 * await checkInterleavings({
 *   createState: () => createThreadSafeState<{ n: number }>({ initialState: { n: 0 } }),
 *   workflow: (state) => Promise.all([1, 2, 3].map(() => state.modify('n', (n) => (n ?? 0) + 1))),
 *   invariant: ({ snapshot }) => snapshot.n === 3,
 * });
 */
export async function checkInterleavings<T extends object>(options: InterleavingOptions<T>): Promise<void> {
  const { numRuns = 100, seed, path } = options;
  await fc.assert(interleavingProperty(options), {
    numRuns: soakRuns(numRuns),
    ...(seed === undefined ? {} : { seed }),
    ...(path === undefined ? {} : { path }),
  });
}
