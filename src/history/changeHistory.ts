import type { StateChangeRecord } from '../schemas.ts';
import { ABSENT, type Slot } from '../store/versionedStore.ts';

/**
 * The bounded change history: a ring buffer of records, oldest dropped in
 * O(1). All records of one version are kept or dropped together, so a version
 * is either fully rollback-able or not at all. `floor` is the oldest version
 * still reachable: every change after it is in the buffer.
 */
export class ChangeHistory {
  readonly #capacity: number;
  readonly #ring: (StateChangeRecord | undefined)[];
  /** Index of the oldest record. */
  #head = 0;
  #count = 0;
  #floor = 0;

  constructor(capacity: number) {
    this.#capacity = capacity;
    this.#ring = new Array<StateChangeRecord | undefined>(capacity);
  }

  /** The most records it holds: the state's maxHistorySize. */
  get capacity(): number {
    return this.#capacity;
  }

  /** Number of records held. */
  get size(): number {
    return this.#count;
  }

  /** The oldest version that can still be rolled back to or read at. */
  get floor(): number {
    return this.#floor;
  }

  /** Appends the records of one new version, dropping whole old versions to make room. */
  append(records: readonly StateChangeRecord[], version: number): void {
    if (records.length > this.#capacity) {
      // Too big to keep whole: keep none of it, so it is never half there.
      this.dropAll(version);
      return;
    }
    while (this.#count + records.length > this.#capacity) this.#dropOldestVersion();
    for (const record of records) {
      this.#ring[this.#slot(this.#count)] = record;
      this.#count++;
    }
  }

  /** Drops every record; `version` becomes the floor. */
  dropAll(version: number): void {
    this.#floor = version;
    while (this.#count > 0) this.#dropOldest();
  }

  /** Records newest first, optionally of one key only, or of the keys `readable` accepts, at most `limit`. */
  newestFirst(key?: string, limit = Number.POSITIVE_INFINITY, readable?: (key: string) => boolean): StateChangeRecord[] {
    const out: StateChangeRecord[] = [];
    for (let i = this.#count - 1; i >= 0 && out.length < limit; i--) {
      const record = this.#at(i);
      if ((key === undefined || record.key === key) && (readable === undefined || readable(record.key))) out.push(record);
    }
    return out;
  }

  /**
   * Every key changed by a version after `version` (which must not be below
   * the floor), with its value at `version`: ABSENT when it did not exist.
   * Newest change first; the oldest record after `version` tells the value.
   */
  valuesAt(version: number): Map<string, Slot> {
    const values = new Map<string, Slot>();
    for (let i = this.#count - 1; i >= 0; i--) {
      const record = this.#at(i);
      if (record.version <= version) break;
      values.set(record.key, record.existedBefore ? record.oldValue : ABSENT);
    }
    return values;
  }

  #at(index: number): StateChangeRecord {
    return this.#ring[this.#slot(index)] as StateChangeRecord;
  }

  /** The ring position of the record `index` places after the oldest; a compare instead of a division on every write. */
  #slot(index: number): number {
    const slot = this.#head + index;
    return slot < this.#capacity ? slot : slot - this.#capacity;
  }

  #dropOldestVersion(): void {
    const version = this.#at(0).version;
    this.#floor = version;
    while (this.#count > 0 && this.#at(0).version === version) this.#dropOldest();
  }

  #dropOldest(): void {
    this.#ring[this.#head] = undefined;
    this.#head = this.#head + 1 === this.#capacity ? 0 : this.#head + 1;
    this.#count--;
  }
}
