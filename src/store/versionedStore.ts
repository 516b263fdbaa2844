/**
 * The newest value of every key, one mutable cell per key in one Map: a
 * write to a key already there is one `Map.get` and two field writes, and
 * costs the same at 100,000 keys as at 10 bar the cache. A cell holds the
 * key's value (ABSENT once deleted) and the version of its last write, which
 * outlives a delete. Earlier versions are not kept here: the history's
 * records hold every change in the window with its old value, so a key's
 * value at an earlier version is its newest value with the records after
 * that version undone (`ChangeHistory.valuesAt`). Per-key version chains did
 * the same at the price of an array per key that grew and was trimmed with
 * every write: a fifth of a write in allocation and garbage collection at
 * 100,000 keys.
 */

/** Marks "the key is absent", apart from a stored `undefined`. */
export const ABSENT: unique symbol = Symbol('concord.absent');
/** A value, or ABSENT. */
export type Slot = unknown;

interface KeyCell {
  value: Slot;
  /** The version of the key's last write, a delete included: a key deleted and set again is never back at a version a writer read. */
  version: number;
}

export class VersionedStore {
  readonly #cells = new Map<string, KeyCell>();
  #present = 0;
  #head = 0;

  /** The newest version written. */
  get head(): number {
    return this.#head;
  }

  /** Number of keys present. */
  get size(): number {
    return this.#present;
  }

  /** The newest value of `key`, or ABSENT. */
  latest(key: string): Slot {
    const cell = this.#cells.get(key);
    return cell === undefined ? ABSENT : cell.value;
  }

  /** The version of the key's last write, a delete included; 0 for a key never written (or only given as initial state). */
  keyVersion(key: string): number {
    return this.#cells.get(key)?.version ?? 0;
  }

  /** Every key ever written, with the version of its last write. */
  keyVersions(): [string, number][] {
    return Array.from(this.#cells, ([key, { version }]) => [key, version]);
  }

  /** Sets the key versions an image recorded, over what loading its values wrote. */
  restoreKeyVersions(keyVersions: readonly (readonly [string, number])[]): void {
    for (const [key, version] of keyVersions) {
      const cell = this.#cells.get(key);
      if (cell === undefined) this.#cells.set(key, { value: ABSENT, version });
      else cell.version = version;
    }
  }

  /** Moves the head to `version` with no change: a store loaded from a snapshot starts at the snapshot's version. */
  startAt(version: number): void {
    this.#head = version;
  }

  /** Sets `key` to `value` (or removes it, for ABSENT) as of `version`; returns the value it replaces. */
  write(key: string, version: number, value: Slot): Slot {
    this.#head = version;
    const cell = this.#cells.get(key);
    if (cell === undefined) {
      this.#cells.set(key, { value, version });
      if (value !== ABSENT) this.#present++;
      return ABSENT;
    }
    const previous = cell.value;
    if (previous === ABSENT && value !== ABSENT) {
      // Back after a delete: it comes last in key order, as a new key does.
      this.#cells.delete(key);
      this.#cells.set(key, cell);
      this.#present++;
    } else if (previous !== ABSENT && value === ABSENT) this.#present--;
    cell.value = value;
    cell.version = version;
    return previous;
  }

  /**
   * Keys present, in the order they were added: a key deleted and set again
   * comes last. Snapshots of earlier versions and rollbacks restore content,
   * not this order.
   */
  keys(): string[] {
    const keys: string[] = [];
    this.#cells.forEach(({ value }, key) => {
      if (value !== ABSENT) keys.push(key);
    });
    return keys;
  }

  /**
   * Every key as a new object with a null prototype (where "__proto__" is an
   * ordinary key): the newest values, then `undone` put back over them, i.e.
   * each key changed since an earlier version with its value at that
   * version (ABSENT: it did not exist then).
   */
  objectAt(undone?: ReadonlyMap<string, Slot>): Record<string, unknown> {
    const out = Object.create(null) as Record<string, unknown>;
    this.#cells.forEach(({ value }, key) => {
      if (value !== ABSENT) out[key] = value;
    });
    undone?.forEach((value, key) => {
      if (value === ABSENT) delete out[key];
      else out[key] = value;
    });
    return out;
  }
}
