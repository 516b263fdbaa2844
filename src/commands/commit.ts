import { ThreadSafeStateError } from '../errors.ts';
import type { ChangeOperation, StateChangeRecord } from '../schemas.ts';
import { ABSENT, type Slot } from '../store/versionedStore.ts';
import type { Commit, StateContext } from './stateContext.ts';

/** One key's next value (ABSENT to remove it) within a write. */
export interface Change {
  readonly key: string;
  readonly next: Slot;
  readonly operation: ChangeOperation;
}

/** Who made a write and when. */
export interface WriteMeta {
  readonly changedBy: string | null;
  readonly timestamp: number;
}

/**
 * Applies already-validated changes as exactly one new version: writes each
 * key's next value to the store and appends one frozen record per key (with
 * its old value) to the history. The only place that writes the store.
 */
export function commit(context: StateContext, changes: readonly Change[], meta: WriteMeta): Commit {
  const { store, history } = context;
  if (store.head !== context.version) {
    // The containers are the actor's own and only move forward: a transition
    // computed outside the actor (e.g. getNextSnapshot) would fork them.
    throw new ThreadSafeStateError(
      `The store is at version ${store.head} but this snapshot is at version ${context.version}: ` +
        'the state logic only runs inside the actor made by createStateActor or createThreadSafeState',
    );
  }
  const version = context.version + 1;
  const records: StateChangeRecord[] = [];
  for (const { key, next, operation } of changes) {
    const previous = store.write(key, version, next);
    records.push(
      Object.freeze({
        timestamp: meta.timestamp,
        version,
        key,
        operation,
        oldValue: previous === ABSENT ? undefined : previous,
        newValue: next === ABSENT ? undefined : next,
        existedBefore: previous !== ABSENT,
        existsAfter: next !== ABSENT,
        changedBy: meta.changedBy,
      }),
    );
  }
  history.append(records, version);
  return { version, records };
}
