import type { StateChangeRecord } from '../schemas.ts';
import { ChangeHistory } from '../history/changeHistory.ts';
import { KnownGoodMarks } from '../history/knownGoodMarks.ts';
import { MetricsRecorder } from '../metrics/metricsRecorder.ts';
import { SnapshotCache } from '../snapshots/snapshotCache.ts';
import { VersionedStore } from '../store/versionedStore.ts';
import type { ValueGuard } from '../values/valueGuard.ts';
import { loadImage, replayEffect, type LogEffect, type StateImage, type WriteLog } from './logStep.ts';

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
  /** Where committed writes go before they are acknowledged (a journal); none for an in-memory state. */
  readonly log?: WriteLog | undefined;
  /** A state recovered from a log: its newest image, then the effects after it, replayed at creation. */
  readonly restore?: { readonly image: StateImage | null; readonly effects: readonly LogEffect[] } | undefined;
}

/**
 * The state itself: the containers one state actor owns, and the version
 * they are at. Only the state logic holds it (never the actor's snapshot,
 * which readers see through a StateReader), and only `commit`, replay and
 * `clearHistory` move it.
 */
export interface StateEngine {
  version: number;
  readonly store: VersionedStore;
  readonly history: ChangeHistory;
  readonly marks: KnownGoodMarks;
  readonly snapshots: SnapshotCache;
  readonly metrics: MetricsRecorder;
  readonly guard: ValueGuard;
  readonly clock: Clock;
  readonly log: WriteLog | null;
}

/** Builds an engine at version 0, or at the version its log recovered. */
export function createStateEngine(config: StateConfig): StateEngine {
  const store = new VersionedStore();
  const metrics = new MetricsRecorder();
  for (const [key, value] of config.initialState) store.write(key, 0, value);
  const history = new ChangeHistory(config.maxHistorySize);
  // An earlier version's snapshot is the newest values with the changes since undone.
  const snapshotAt = (version: number) => store.objectAt(version === store.head ? undefined : history.valuesAt(version));
  const engine: StateEngine = {
    version: 0,
    store,
    history,
    marks: new KnownGoodMarks(),
    snapshots: new SnapshotCache(config.snapshotCacheSize, snapshotAt, metrics),
    metrics,
    guard: config.guard,
    clock: config.clock,
    log: config.log ?? null,
  };
  if (config.restore !== undefined) restore(engine, config.restore);
  return engine;
}

/** Replays what a log recovered, without the log and counted in no metric. */
function restore(engine: StateEngine, { image, effects }: NonNullable<StateConfig['restore']>): void {
  if (image !== null) {
    loadImage(engine, image);
    engine.version = image.version;
  }
  for (const effect of effects) replayEffect(engine, effect);
}
