/**
 * The newest value of every key, in one Map: a write is one `Map.set`, and
 * costs the same at 100,000 keys as at 10 bar the cache. Earlier versions are
 * not kept here: the history's records hold every change in the window with
 * its old value, so a key's value at an earlier version is its newest value
 * with the records after that version undone (`ChangeHistory.valuesAt`).
 * Per-key version chains did the same at the price of an array per key that
 * grew and was trimmed with every write: a fifth of a write in allocation and
 * garbage collection at 100,000 keys.
 */

/** Marks "the key is absent", apart from a stored `undefined`. */
export const ABSENT: unique symbol = Symbol('concord.absent');
/** A value, or ABSENT. */
export type Slot = unknown;

export class VersionedStore {
  readonly #values = new Map<string, unknown>();
  /** The version of each key's last write, a delete included: a key deleted and set again is never back at a version a writer read. */
  readonly #written = new Map<string, number>();
  #head = 0;

  /** The newest version written. */
  get head(): number {
    return this.#head;
  }

  /** Number of keys present. */
  get size(): number {
    return this.#values.size;
  }

  /** The newest value of `key`, or ABSENT. */
  latest(key: string): Slot {
    const value = this.#values.get(key);
    return value !== undefined || this.#values.has(key) ? value : ABSENT;
  }

  /** The version of the key's last write, a delete included; 0 for a key never written (or only given as initial state). */
  keyVersion(key: string): number {
    return this.#written.get(key) ?? 0;
  }

  /** Every key ever written, with the version of its last write. */
  keyVersions(): [string, number][] {
    return [...this.#written];
  }

  /** Sets the key versions an image recorded, over what loading its values wrote. */
  restoreKeyVersions(keyVersions: readonly (readonly [string, number])[]): void {
    for (const [key, version] of keyVersions) this.#written.set(key, version);
  }

  /** Moves the head to `version` with no change: a store loaded from a snapshot starts at the snapshot's version. */
  startAt(version: number): void {
    this.#head = version;
  }

  /** Sets `key` to `value` (or removes it, for ABSENT) as of `version`; returns the value it replaces. */
  write(key: string, version: number, value: Slot): Slot {
    const previous = this.latest(key);
    if (value === ABSENT) this.#values.delete(key);
    else this.#values.set(key, value);
    this.#written.set(key, version);
    this.#head = version;
    return previous;
  }

  /**
   * Keys present, in the order they were added: a key deleted and set again
   * comes last. Snapshots of earlier versions and rollbacks restore content,
   * not this order.
   */
  keys(): string[] {
    return [...this.#values.keys()];
  }

  /**
   * Every key as a new object with a null prototype (where "__proto__" is an
   * ordinary key): the newest values, then `undone` put back over them, i.e.
   * each key changed since an earlier version with its value at that
   * version (ABSENT: it did not exist then).
   */
  objectAt(undone?: ReadonlyMap<string, Slot>): Record<string, unknown> {
    const out = Object.create(null) as Record<string, unknown>;
    this.#values.forEach((value, key) => {
      out[key] = value;
    });
    undone?.forEach((value, key) => {
      if (value === ABSENT) delete out[key];
      else out[key] = value;
    });
    return out;
  }
}
