/**
 * The key space as per-key version chains, as etcd's MVCC keeps revisions:
 * a write appends `(version, value)` to one key's chain and never copies the
 * key space, so its cost does not grow with the number of keys. Reading at a
 * version takes the newest entry at or below it, which is what makes
 * snapshots of earlier versions and rollback exact.
 *
 * Chains keep entries back to the history floor (the oldest version still
 * reachable) and no further: `prune` drops what falls out of the window.
 */

/** Marks "the key is absent" in a chain, apart from a stored `undefined`. */
export const ABSENT: unique symbol = Symbol('concord.absent');
/** A value in a chain, or ABSENT. */
export type Slot = unknown;

/** Flat pairs `[version, value, version, value, ...]` from `start` on: one array per key. */
interface Chain {
  entries: Slot[];
  start: number;
}

export class VersionedStore {
  readonly #chains = new Map<string, Chain>();
  #liveCount = 0;

  /** Number of keys present at the newest version. */
  get size(): number {
    return this.#liveCount;
  }

  /** The newest value of `key`, or ABSENT. */
  latest(key: string): Slot {
    const chain = this.#chains.get(key);
    return chain === undefined ? ABSENT : chain.entries[chain.entries.length - 1];
  }

  /** The value of `key` at `version`, or ABSENT; `version` must not be below the floor. */
  at(key: string, version: number): Slot {
    const chain = this.#chains.get(key);
    if (chain === undefined) return ABSENT;
    const { entries, start } = chain;
    for (let i = entries.length - 2; i >= start; i -= 2) {
      if ((entries[i] as number) <= version) return entries[i + 1];
    }
    return ABSENT;
  }

  /** Appends `value` (or ABSENT for a delete) to `key`'s chain at `version`. */
  write(key: string, version: number, value: Slot): void {
    const chain = this.#chains.get(key);
    if (chain === undefined) {
      if (value === ABSENT) return;
      this.#chains.set(key, { entries: [version, value], start: 0 });
      this.#liveCount++;
      return;
    }
    const wasLive = chain.entries[chain.entries.length - 1] !== ABSENT;
    chain.entries.push(version, value);
    this.#liveCount += Number(value !== ABSENT) - Number(wasLive);
  }

  /** Drops entries of `key` that no version at or above `floor` can see. */
  prune(key: string, floor: number): void {
    const chain = this.#chains.get(key);
    if (chain === undefined) return;
    const { entries } = chain;
    let start = chain.start;
    while (start + 2 < entries.length && (entries[start + 2] as number) <= floor) start += 2;
    if (start + 2 === entries.length && entries[start + 1] === ABSENT && (entries[start] as number) <= floor) {
      this.#chains.delete(key);
      return;
    }
    if (start * 2 >= entries.length) {
      // Live entries are at most half the array: move them down (amortized O(1) per entry).
      entries.copyWithin(0, start);
      entries.length -= start;
      chain.start = 0;
    } else {
      chain.start = start;
    }
  }

  /** Prunes every chain, for when the whole history is dropped. */
  pruneAll(floor: number): void {
    for (const key of [...this.#chains.keys()]) this.prune(key, floor);
  }

  /** Keys present at the newest version, in first-write order. */
  keys(): string[] {
    const keys: string[] = [];
    for (const [key, chain] of this.#chains) {
      if (chain.entries[chain.entries.length - 1] !== ABSENT) keys.push(key);
    }
    return keys;
  }

  /** Calls `visit` for every key present at `version`. */
  forEachAt(version: number, visit: (key: string, value: unknown) => void): void {
    for (const key of this.#chains.keys()) {
      const value = this.at(key, version);
      if (value !== ABSENT) visit(key, value);
    }
  }
}
