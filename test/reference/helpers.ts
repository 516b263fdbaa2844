/** Shared helpers for the reference-port tests (not a test file itself). */

export { rejectionOf, thrownBy } from '../support/outcomes.ts';

/**
 * A plain, independent deep copy of a snapshot, keeping keys that hold
 * `undefined` (so `toStrictEqual` tells an absent key from one holding undefined).
 */
export function plain(snapshot: object): Record<string, unknown> {
  return structuredClone({ ...snapshot });
}

/** A clock the test moves by hand. */
export function manualClock(start = 1_000) {
  let now = start;
  return {
    clock: (): number => now,
    set(ms: number): void {
      now = ms;
    },
  };
}
