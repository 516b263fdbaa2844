import type { StateReply } from '../protocol.ts';
import type { StateChangeRecord } from '../schemas.ts';
import { ChangeHistory } from '../history/changeHistory.ts';
import { MetricsRecorder } from '../metrics/metricsRecorder.ts';
import { SnapshotCache } from '../snapshots/snapshotCache.ts';
import { VersionedStore } from '../store/versionedStore.ts';
import type { ValueGuard } from '../values/valueGuard.ts';

/** Milliseconds since the epoch. Injected so tests and replays control time. */
export type Clock = () => number;

/** The records one applied write produced, all at one version. */
export interface Commit {
  readonly version: number;
  readonly records: readonly StateChangeRecord[];
}

/** What the state actor is created with; `createStateConfig` builds and checks it. */
export interface StateConfig {
  /** Initial values, already passed through `guard`. */
  readonly initialState: ReadonlyMap<string, unknown>;
  readonly maxHistorySize: number;
  readonly snapshotCacheSize: number;
  readonly guard: ValueGuard;
  readonly clock: Clock;
}

/**
 * The state actor's context. `version` changes with every applied write; the
 * containers are the actor's own and only move forward: reads through any
 * context see the newest values, and a snapshot of an older context's
 * version is rebuilt from the history (see VersionedStore).
 */
export interface StateContext {
  readonly version: number;
  readonly store: VersionedStore;
  readonly history: ChangeHistory;
  readonly snapshots: SnapshotCache;
  readonly metrics: MetricsRecorder;
  readonly guard: ValueGuard;
  readonly clock: Clock;
  /** The answer to the last command, delivered by the logic. */
  readonly lastReply: StateReply | null;
  /** The last applied write, for subscribers. */
  readonly lastCommit: Commit | null;
}

/** Builds the initial context at version 0. */
export function createStateContext(config: StateConfig): StateContext {
  const store = new VersionedStore();
  const metrics = new MetricsRecorder();
  for (const [key, value] of config.initialState) store.write(key, 0, value);
  const history = new ChangeHistory(config.maxHistorySize);
  // An earlier version's snapshot is the newest values with the changes since undone.
  const snapshotAt = (version: number) => store.objectAt(version === store.head ? undefined : history.valuesAt(version));
  return {
    version: 0,
    store,
    history,
    snapshots: new SnapshotCache(config.snapshotCacheSize, snapshotAt, metrics),
    metrics,
    guard: config.guard,
    clock: config.clock,
    lastReply: null,
    lastCommit: null,
  };
}
