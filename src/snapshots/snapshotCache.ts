import type { MetricsRecorder } from '../metrics/metricsRecorder.ts';
import type { VersionedStore } from '../store/versionedStore.ts';

/** Every key at one version: frozen, null prototype, values deep-frozen and shared with the store. */
export type FrozenSnapshot = Readonly<Record<string, unknown>>;

/**
 * Snapshots by version, least recently used dropped first. A version's
 * content never changes, so a cached snapshot never goes stale: a write makes
 * a new version, and with it a new snapshot on the next read.
 */
export class SnapshotCache {
  readonly #byVersion = new Map<number, FrozenSnapshot>();
  readonly #capacity: number;
  readonly #store: VersionedStore;
  readonly #metrics: MetricsRecorder;

  /** @param capacity versions kept; 0 turns caching off */
  constructor(capacity: number, store: VersionedStore, metrics: MetricsRecorder) {
    this.#capacity = capacity;
    this.#store = store;
    this.#metrics = metrics;
  }

  /** The snapshot at `version`, which the caller has checked is reachable. */
  at(version: number): FrozenSnapshot {
    this.#metrics.snapshotCount++;
    const cached = this.#byVersion.get(version);
    if (cached !== undefined) {
      this.#metrics.cacheHits++;
      // Re-insert so that Map order is least recently used first.
      this.#byVersion.delete(version);
      this.#byVersion.set(version, cached);
      return cached;
    }
    this.#metrics.cacheMisses++;
    const snapshot = this.#build(version);
    if (this.#capacity > 0) {
      if (this.#byVersion.size >= this.#capacity) this.#byVersion.delete(this.#byVersion.keys().next().value as number);
      this.#byVersion.set(version, snapshot);
    }
    return snapshot;
  }

  #build(version: number): FrozenSnapshot {
    return Object.freeze(this.#store.objectAt(version));
  }
}
