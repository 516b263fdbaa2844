import type { KnownGoodMark, StateChangeRecord, StateMetrics } from '../schemas.ts';
import type { MetricsRecorder } from '../metrics/metricsRecorder.ts';
import type { FrozenSnapshot, SnapshotCache } from '../snapshots/snapshotCache.ts';
import { LiveView } from '../snapshots/liveView.ts';
import { ABSENT, type Slot, type VersionedStore } from '../store/versionedStore.ts';
import { assertKey } from '../values/stateKey.ts';
import { readSnapshot } from './reads.ts';
import type { StateEngine } from './stateEngine.ts';

/**
 * The state as its readers see it, the facade and agents alike: the newest
 * committed version, with no way to change it. It is what the state actor's
 * snapshot carries instead of the containers themselves; the engine it reads
 * is a private field, which nothing outside this class can reach. Values are
 * the store's frozen ones; callers that hand them on copy them first.
 */
export class StateReader {
  readonly #engine: StateEngine;
  readonly #live: LiveView;
  // The containers a read reaches, held here so that a get or a cached snapshot is one field away.
  readonly #store: VersionedStore;
  readonly #metrics: MetricsRecorder;
  readonly #snapshots: SnapshotCache;

  constructor(engine: StateEngine) {
    this.#engine = engine;
    this.#store = engine.store;
    this.#metrics = engine.metrics;
    this.#snapshots = engine.snapshots;
    this.#live = new LiveView(engine.store);
    Object.freeze(this);
  }

  /** The newest version. */
  get version(): number {
    return this.#engine.version;
  }

  /**
   * The stored value of `key`, or ABSENT; counted as a get. Only strings are
   * ever stored, so a key that is not a non-empty string is refused (with
   * StateValidationError, uncounted) on a miss alone: a hit needs no check.
   */
  latest(key: string): Slot {
    const value = this.#store.latest(key);
    if (value === ABSENT) assertKey(key);
    this.#metrics.getCount++;
    return value;
  }

  /** Whether `key` is present, not counted as a get. */
  has(key: string): boolean {
    return this.#engine.store.latest(key) !== ABSENT;
  }

  /** The version of the key's last write, a delete included; 0 for a key never written. */
  keyVersion(key: string): number {
    return this.#engine.store.keyVersion(key);
  }

  keys(): string[] {
    return this.#engine.store.keys();
  }

  get size(): number {
    return this.#engine.store.size;
  }

  /** Every key at `version` (default: the newest), frozen; throws a typed error for a version out of reach. */
  snapshot(version?: number): FrozenSnapshot {
    // The newest version, already built: one check and a field read, before any reachability check.
    if (version === undefined) {
      const cached = this.#snapshots.current(this.#engine.version);
      if (cached !== undefined) return cached;
    }
    return readSnapshot(this.#engine, version);
  }

  /** The history window newest first, of one key or all, at most `limit` records. */
  history(key?: string, limit?: number): StateChangeRecord[] {
    return this.#engine.history.newestFirst(key, limit);
  }

  /** The known-good marks still inside the history window, oldest first. */
  knownGoodMarks(): KnownGoodMark[] {
    const { marks, history } = this.#engine;
    return marks.within(history.floor);
  }

  metrics(): StateMetrics {
    return this.#engine.metrics.read();
  }

  /** Runs `read` with a view of the newest values that answers only while it runs (what waitFor predicates see). */
  peek<R>(read: (view: Readonly<Record<string, unknown>>) => R): R {
    return this.#live.read(read);
  }
}
Object.freeze(StateReader.prototype);
