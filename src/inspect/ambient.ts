import type { InspectionEvent, Observer } from 'xstate';
import type { ThreadSafeState } from '../threadSafeState.ts';

/** What XState's `createActor({ inspect })` takes. */
export type Inspect = Observer<InspectionEvent> | ((event: InspectionEvent) => void);

/**
 * An inspector that also wants Concord's own story: every shared state
 * created while it is attached is handed to `attachState`, so it can follow
 * versions and history and answer `snapshotAt` questions.
 */
export interface ConcordInspector {
  readonly inspect: Inspect;
  /** May be called more than once for one state (by the state, and by a pipeline run on it): attach it once. */
  attachState(state: ThreadSafeState<Record<string, unknown>>): void;
}

const AMBIENT = Symbol.for('concord.inspector');
/** Every inspector set and not yet detached, newest last: the newest is the ambient one. */
type WithAmbient = typeof globalThis & { [AMBIENT]?: ConcordInspector[] };

/**
 * Makes `inspector` the one every later `createThreadSafeState` and
 * `runPipeline` uses when it is given no `inspect` of its own, so
 * `npm run inspect -- script.ts` sees a script that knows nothing of it.
 * Returns a function that detaches it; nested uses unwind in any order.
 */
export function setAmbientInspector(inspector: ConcordInspector): () => void {
  const global = globalThis as WithAmbient;
  const stack = (global[AMBIENT] ??= []);
  stack.push(inspector);
  let detached = false;
  return () => {
    if (detached) return;
    detached = true;
    stack.splice(stack.lastIndexOf(inspector), 1);
  };
}

/** The inspector set by `setAmbientInspector`, if any. */
export function ambientInspector(): ConcordInspector | undefined {
  return (globalThis as WithAmbient)[AMBIENT]?.at(-1);
}

const isConcordInspector = (value: Inspect | ConcordInspector): value is ConcordInspector =>
  typeof value === 'object' && typeof (value as Partial<ConcordInspector>).attachState === 'function';

/**
 * The inspector an actor is created with: the caller's own (XState's kind or
 * a ConcordInspector), else the ambient one. Returns what to pass to XState
 * and the ConcordInspector, if any, that states should be attached to.
 */
export function resolveInspector(own: Inspect | ConcordInspector | undefined): { inspect?: Inspect; concord?: ConcordInspector } {
  const chosen = own ?? ambientInspector();
  if (chosen === undefined) return {};
  return isConcordInspector(chosen) ? { inspect: detachedOnThrow(chosen.inspect), concord: chosen } : { inspect: detachedOnThrow(chosen) };
}

/**
 * `inspect`, reported once and detached the first time it throws: XState
 * calls inspectors inside the actor's mailbox, where a throw would leave the
 * state active with every later command pending.
 */
function detachedOnThrow(inspect: Inspect): (event: InspectionEvent) => void {
  let attached = true;
  return (event) => {
    if (!attached) return;
    try {
      if (typeof inspect === 'function') inspect(event);
      else inspect.next?.(event);
    } catch (error) {
      attached = false;
      console.error('concord-state: an inspector threw, and is detached; the state goes on.', error);
    }
  };
}
