import { expect } from 'vitest';
import type { StateShape, ThreadSafeState } from 'concord-state';

/** What must be identical before and after a rejected input. */
export interface Observed {
  readonly snapshot: unknown;
  readonly version: number;
  readonly historyLength: number;
  readonly keys: readonly string[];
}

/** Captures contents, version and history length of a state. */
export function observe<T extends StateShape>(state: ThreadSafeState<T>): Observed {
  return {
    snapshot: state.snapshot(),
    version: state.getVersion(),
    historyLength: state.getHistory().length,
    keys: [...state.keys()],
  };
}

/** Asserts that nothing observable changed since `before` was captured. */
export function expectUnchanged<T extends StateShape>(state: ThreadSafeState<T>, before: Observed): void {
  const after = observe(state);
  expect(after.version).toBe(before.version);
  expect(after.historyLength).toBe(before.historyLength);
  expect(after.keys).toEqual(before.keys);
  // Same version: the snapshot must be the very same frozen object, and equal in content.
  expect(after.snapshot).toBe(before.snapshot);
  expect(after.snapshot).toEqual(before.snapshot);
}

/**
 * Asserts the actor is still running and still applies a normal write
 * (`write`, for states whose schema refuses the default probe key).
 */
export async function expectAlive<T extends StateShape>(state: ThreadSafeState<T>, write?: () => Promise<unknown>): Promise<void> {
  expect(state.actor.getSnapshot().status).toBe('active');
  const version = state.getVersion();
  if (write !== undefined) {
    await write();
  } else {
    const untyped = state as unknown as ThreadSafeState;
    await expect(untyped.set('__alive_check__', version)).resolves.toBe(version + 1);
    expect(untyped.get('__alive_check__')).toBe(version);
  }
  expect(state.getVersion()).toBe(version + 1);
}

/**
 * Calls a write and asserts it did not throw synchronously; returns its promise.
 * Every failure of a write must be a rejected promise.
 */
export function callWrite<R>(write: () => Promise<R>): Promise<R> {
  let result: Promise<R> | undefined;
  expect(() => {
    result = write();
  }).not.toThrow();
  expect(result).toBeInstanceOf(Promise);
  return result as Promise<R>;
}

/** Builds `{ n: { n: ... } }` nested `levels` objects deep. */
export function nested(levels: number): Record<string, unknown> {
  let value: Record<string, unknown> = {};
  for (let i = 1; i < levels; i++) value = { n: value };
  return value;
}

export { rejectionOf } from '../support/outcomes.ts';
