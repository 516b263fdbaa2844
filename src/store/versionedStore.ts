/**
 * The key space as per-key version chains, as etcd's MVCC keeps revisions:
 * a write appends `(version, value)` to one key's chain and never copies the
 * key space, so its cost does not grow with the number of keys. Reading at a
 * version takes the newest entry at or below it, which is what makes
 * snapshots of earlier versions and rollback exact.
 *
 * Chains keep entries back to the history floor (the oldest version still
 * reachable) and no further: `releaseOldestWrite` drops what falls out of the
 * window.
 */

/** Marks "the key is absent" in a chain, apart from a stored `undefined`. */
export const ABSENT: unique symbol = Symbol('concord.absent');
/** A value in a chain, or ABSENT. */
export type Slot = unknown;

/**
 * One array per key, to keep a write to one cache line or two:
 * `[start, version, value, version, value, ...]`, where `start` is the index
 * of the oldest live pair (dropped pairs before it await compaction).
 */
type Chain = unknown[];

const FIRST_PAIR = 1;

function valueAt(chain: Chain, version: number): Slot {
  const start = chain[0] as number;
  for (let i = chain.length - 2; i >= start; i -= 2) {
    if ((chain[i] as number) <= version) return chain[i + 1];
  }
  return ABSENT;
}

export class VersionedStore {
  readonly #chains = new Map<string, Chain>();
  #liveCount = 0;
  #head = 0;
  /**
   * Every write after version 0 as `key, chain` pairs, oldest first: the same
   * order in which the history drops its records, so releasing a write needs
   * no lookup by key (a cache miss per write at 100,000 keys).
   */
  #writeLog: unknown[] = [];
  #writeLogHead = 0;

  /** The newest version written. */
  get head(): number {
    return this.#head;
  }

  /** Number of keys present at the newest version. */
  get size(): number {
    return this.#liveCount;
  }

  /** The newest value of `key`, or ABSENT. */
  latest(key: string): Slot {
    const chain = this.#chains.get(key);
    return chain === undefined ? ABSENT : chain[chain.length - 1];
  }

  /** The value of `key` at `version`, or ABSENT; `version` must not be below the floor. */
  at(key: string, version: number): Slot {
    const chain = this.#chains.get(key);
    return chain === undefined ? ABSENT : valueAt(chain, version);
  }

  /**
   * Appends `value` (or ABSENT for a delete) to `key`'s chain at `version`;
   * returns the value it replaces. Every write after version 0 must later be
   * released with `releaseOldestWrite`, in order.
   */
  write(key: string, version: number, value: Slot): Slot {
    let chain = this.#chains.get(key);
    let previous: Slot = ABSENT;
    if (chain === undefined) {
      chain = [FIRST_PAIR, version, value];
      this.#chains.set(key, chain);
    } else {
      previous = chain[chain.length - 1];
      chain.push(version, value);
    }
    this.#liveCount += Number(value !== ABSENT) - Number(previous !== ABSENT);
    if (version > 0) this.#writeLog.push(key, chain);
    this.#head = version;
    return previous;
  }

  /**
   * Called as the history drops the record of the oldest write still held:
   * drops what of that key's chain no version at or above `floor` can see.
   */
  releaseOldestWrite(floor: number): void {
    const head = this.#writeLogHead;
    const key = this.#writeLog[head] as string;
    const chain = this.#writeLog[head + 1] as Chain;
    this.#writeLog[head] = this.#writeLog[head + 1] = undefined;
    this.#writeLogHead = head + 2;
    if (this.#writeLogHead * 2 >= this.#writeLog.length && this.#writeLogHead >= 1024) {
      this.#writeLog = this.#writeLog.slice(this.#writeLogHead);
      this.#writeLogHead = 0;
    }
    this.#prune(key, chain, floor);
  }

  #prune(key: string, chain: Chain, floor: number): void {
    let start = chain[0] as number;
    while (start + 2 < chain.length && (chain[start + 2] as number) <= floor) start += 2;
    if (start + 2 === chain.length && chain[start + 1] === ABSENT && (chain[start] as number) <= floor) {
      this.#chains.delete(key);
      return;
    }
    const dead = start - FIRST_PAIR;
    if (dead * 2 >= chain.length) {
      // Live pairs are at most half the array: move them down (amortized O(1) per pair).
      chain.copyWithin(FIRST_PAIR, start);
      chain.length -= dead;
      start = FIRST_PAIR;
    }
    chain[0] = start;
  }

  /** Keys present at the newest version, in first-write order. */
  keys(): string[] {
    const keys: string[] = [];
    for (const [key, chain] of this.#chains) {
      if (chain[chain.length - 1] !== ABSENT) keys.push(key);
    }
    return keys;
  }

  /**
   * Every key present at `version`, as a new object with a null prototype
   * (where "__proto__" is an ordinary key). One tight loop: snapshots of
   * 1,000 keys are built on the hot path of `snapshot()` after each write.
   */
  objectAt(version: number): Record<string, unknown> {
    const out: Record<string, unknown> = Object.create(null);
    for (const [key, chain] of this.#chains) {
      const value = valueAt(chain, version);
      if (value !== ABSENT) out[key] = value;
    }
    return out;
  }
}
