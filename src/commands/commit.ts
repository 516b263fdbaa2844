import type { ChangeOperation, StateChangeRecord } from '../schemas.ts';
import { ABSENT, type Slot } from '../store/versionedStore.ts';
import type { Commit, StateEngine } from './stateEngine.ts';

/** One key's next value (ABSENT to remove it) within a write. */
export interface Change {
  readonly key: string;
  readonly next: Slot;
  readonly operation: ChangeOperation;
}

/**
 * Applies already-validated changes as exactly one new version, made by
 * `changedBy` at `timestamp`: writes each key's next value to the store and
 * appends one frozen record per key (with its old value) to the history.
 * The only place that writes the store and moves the version.
 */
export function commit(engine: StateEngine, changes: readonly Change[], changedBy: string | null, timestamp: number): Commit {
  const { store, history } = engine;
  const version = engine.version + 1;
  const records: StateChangeRecord[] = [];
  for (const { key, next, operation } of changes) {
    const previous = store.write(key, version, next);
    records.push(
      Object.freeze({
        timestamp,
        version,
        key,
        operation,
        oldValue: previous === ABSENT ? undefined : previous,
        newValue: next === ABSENT ? undefined : next,
        existedBefore: previous !== ABSENT,
        existsAfter: next !== ABSENT,
        changedBy,
      }),
    );
  }
  history.append(records, version);
  engine.version = version;
  // Subscribers see it on the actor's snapshot: frozen, like everything there.
  return Object.freeze({ version, records: Object.freeze(records) });
}
