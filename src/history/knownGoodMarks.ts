import type { KnownGoodMark } from '../schemas.ts';

/**
 * Versions recorded as known good (the reference design's recovery marks),
 * oldest first. A mark below the history's floor can no longer be rolled
 * back to, so it is dropped when the marks are read.
 */
export class KnownGoodMarks {
  #marks: KnownGoodMark[] = [];

  add(mark: KnownGoodMark): void {
    this.#marks.push(Object.freeze({ ...mark }));
  }

  /** The marks still inside the history window (at or after `floor`), oldest first. */
  within(floor: number): KnownGoodMark[] {
    if (this.#marks.length > 0 && (this.#marks[0] as KnownGoodMark).version < floor) this.#marks = this.#marks.filter((mark) => mark.version >= floor);
    return [...this.#marks];
  }
}
