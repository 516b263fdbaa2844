/** Shared helpers for the reference-port tests (not a test file itself). */

/** Awaits `promise` and returns what it rejected with; fails the test if it resolved. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject, but it resolved');
}

/** Returns what `fn` threw; fails the test if it returned. */
export function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw, but it returned');
}

/**
 * A plain, independent deep copy of a snapshot, keeping keys that hold
 * `undefined` (so `toStrictEqual` tells an absent key from one holding undefined).
 */
export function plain(snapshot: object): Record<string, unknown> {
  return structuredClone({ ...snapshot }) as Record<string, unknown>;
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
