import type { MetricsRecorder } from '../metrics/metricsRecorder.ts';

/** Every key at one version: frozen, null prototype, values deep-frozen and shared with the store. */
export type FrozenSnapshot = Readonly<Record<string, unknown>>;

/**
 * Snapshots by version. The current version's is pinned, so `snapshot()`
 * returns the same object until the next write whatever time-travel reads
 * do; earlier versions' are kept least recently used first. A version's
 * content never changes, so a cached snapshot never goes stale.
 */
export class SnapshotCache {
  readonly #byVersion = new Map<number, FrozenSnapshot>();
  /** The pinned snapshot and its version, as two fields: a cache hit reads no object in between. */
  #currentVersion = -1;
  #currentSnapshot: FrozenSnapshot | undefined = undefined;
  readonly #capacity: number;
  readonly #build: (version: number) => Record<string, unknown>;
  readonly #metrics: MetricsRecorder;

  /**
   * @param capacity versions kept; 0 turns caching off
   * @param build every key at a version, as a new object
   */
  /** How many versions' snapshots it keeps; 0 when snapshots are not cached. */
  get capacity(): number {
    return this.#capacity;
  }

  constructor(capacity: number, build: (version: number) => Record<string, unknown>, metrics: MetricsRecorder) {
    this.#capacity = capacity;
    this.#build = build;
    this.#metrics = metrics;
  }

  /** The newest version's snapshot if it is built (`version` is the newest), counted as a hit; else undefined. */
  current(version: number): FrozenSnapshot | undefined {
    if (this.#currentVersion !== version) return undefined;
    this.#metrics.cacheHits++;
    return this.#currentSnapshot;
  }

  /** The snapshot at `version`, which the caller has checked is reachable; `isCurrent` when it is the newest. */
  at(version: number, isCurrent: boolean): FrozenSnapshot {
    const current = this.current(version);
    if (current !== undefined) return current;
    const cached = this.#byVersion.get(version);
    if (cached !== undefined) {
      this.#metrics.cacheHits++;
      // Re-insert so that Map order is least recently used first.
      this.#byVersion.delete(version);
      this.#byVersion.set(version, cached);
      return cached;
    }
    this.#metrics.cacheMisses++;
    const snapshot = Object.freeze(this.#build(version));
    if (this.#capacity === 0) return snapshot;
    if (isCurrent) {
      if (this.#currentSnapshot !== undefined) this.#keep(this.#currentVersion, this.#currentSnapshot);
      this.#currentVersion = version;
      this.#currentSnapshot = snapshot;
    } else {
      this.#keep(version, snapshot);
    }
    return snapshot;
  }

  #keep(version: number, snapshot: FrozenSnapshot): void {
    if (this.#byVersion.size >= this.#capacity) this.#byVersion.delete(this.#byVersion.keys().next().value as number);
    this.#byVersion.set(version, snapshot);
  }
}
