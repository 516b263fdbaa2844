import type { StateReply } from '../protocol.ts';
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
 * The state actor's context. `version` changes with every applied write; the
 * containers are the actor's own and only move forward: reads through any
 * context see the newest values, and a snapshot of an older context's
 * version is rebuilt from the history (see VersionedStore).
 */
export interface StateContext {
  readonly version: number;
  readonly store: VersionedStore;
  readonly history: ChangeHistory;
  readonly marks: KnownGoodMarks;
  readonly snapshots: SnapshotCache;
  readonly metrics: MetricsRecorder;
  readonly guard: ValueGuard;
  readonly clock: Clock;
  readonly log: WriteLog | null;
  /** The answer to the last command, delivered by the logic. */
  readonly lastReply: StateReply | null;
  /** The last applied write, for subscribers. */
  readonly lastCommit: Commit | null;
  /** Resolves once the log has taken the last command's effect: its reply waits for it. Null when nothing was logged. */
  readonly lastLogged: Promise<void> | null;
}

/** Builds the initial context at version 0. */
export function createStateContext(config: StateConfig): StateContext {
  const store = new VersionedStore();
  const metrics = new MetricsRecorder();
  for (const [key, value] of config.initialState) store.write(key, 0, value);
  const history = new ChangeHistory(config.maxHistorySize);
  // An earlier version's snapshot is the newest values with the changes since undone.
  const snapshotAt = (version: number) => store.objectAt(version === store.head ? undefined : history.valuesAt(version));
  const context: StateContext = {
    version: 0,
    store,
    history,
    marks: new KnownGoodMarks(),
    snapshots: new SnapshotCache(config.snapshotCacheSize, snapshotAt, metrics),
    metrics,
    guard: config.guard,
    clock: config.clock,
    log: config.log ?? null,
    lastReply: null,
    lastCommit: null,
    lastLogged: null,
  };
  return config.restore === undefined ? context : restored(context, config.restore);
}

/** The context a log recovered: replayed without the log, counted in no metric. */
function restored(context: StateContext, { image, effects }: NonNullable<StateConfig['restore']>): StateContext {
  if (image !== null) loadImage(context, image);
  let version = image?.version ?? 0;
  for (const effect of effects) version = replayEffect({ ...context, version }, effect);
  return { ...context, version };
}
