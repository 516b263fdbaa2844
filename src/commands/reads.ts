import type { FrozenSnapshot } from '../snapshots/snapshotCache.ts';
import type { Slot } from '../store/versionedStore.ts';
import { assertReachable } from './reachable.ts';
import type { StateContext } from './stateContext.ts';

/**
 * Reads over a context, shared by the facade (synchronous, no mailbox) and
 * the read commands agents send. They return stored (frozen) values: the
 * caller copies them before they leave.
 */

/**
 * The containers every context of one actor shares (see StateContext): the
 * facade holds them, so a get does not go through the actor's snapshot.
 */
export type StateContainers = Pick<StateContext, 'store' | 'metrics'>;

/** The newest value of `key`, or ABSENT; counted as a get. */
export function readValue(context: StateContainers, key: string): Slot {
  context.metrics.getCount++;
  return context.store.latest(key);
}

/** The frozen snapshot at `version` (default: current), from the cache when it holds it. */
export function readSnapshot(context: StateContext, version = context.version): FrozenSnapshot {
  assertReachable(context, version, 'read');
  return context.snapshots.at(version, version === context.version);
}
