import type { FrozenSnapshot } from '../snapshots/snapshotCache.ts';
import type { Slot } from '../store/versionedStore.ts';
import { assertReachable } from './reachable.ts';
import type { StateEngine } from './stateEngine.ts';

/**
 * Reads over an engine, shared by the StateReader (synchronous, no mailbox)
 * and the read commands agents send. They return stored (frozen) values: the
 * caller copies them before they leave.
 */

/** The newest value of `key`, or ABSENT; counted as a get. */
export function readValue(engine: StateEngine, key: string): Slot {
  engine.metrics.getCount++;
  return engine.store.latest(key);
}

/** The frozen snapshot at `version` (default: current), from the cache when it holds it. */
export function readSnapshot(engine: StateEngine, version = engine.version): FrozenSnapshot {
  assertReachable(engine, version, 'read');
  return engine.snapshots.at(version, version === engine.version);
}
