import { describe, expect, it } from 'vitest';
import { createThreadSafeState, StateConflictError, StateValidationError, type StateShape, type ThreadSafeState, type WriteOptions } from 'concord-state';
import { callWrite, expectUnchanged, observe, rejectionOf } from './helpers.ts';

type Write = (state: ThreadSafeState, options: WriteOptions) => Promise<unknown>;

/** Each write, with what it must leave behind when it applies. */
const writes: ReadonlyArray<[name: string, write: Write, check: (state: ThreadSafeState) => void]> = [
  ['set', (state, options) => state.set('a', 'new', options), (state) => expect(state.get('a')).toBe('new')],
  ['update', (state, options) => state.update({ a: 'u', c: 3 }, options), (state) => expect(state.get('c')).toBe(3)],
  ['delete', (state, options) => state.delete('a', options), (state) => expect(state.has('a')).toBe(false)],
  ['clear', (state, options) => state.clear(options), (state) => expect(state.size).toBe(0)],
  ['modify', (state, options) => state.modify('b', (n) => (n as number) + 1, options), (state) => expect(state.get('b')).toBe(3)],
  ['rollback', (state, options) => state.rollback(1, options), (state) => expect(state.get('b')).toBe(1)],
];

/** A state at version 2 with history: v1 set b=1, v2 set b=2 (a from initialState). */
async function atVersion2(): Promise<ThreadSafeState> {
  const state = createThreadSafeState<StateShape>({ initialState: { a: 'old' } });
  await state.set('b', 1);
  await state.set('b', 2);
  return state;
}

describe('expectedVersion (compare-and-swap)', () => {
  it.each(writes)('%s applies when expectedVersion is the current version', async (_name, write, check) => {
    const state = await atVersion2();
    await callWrite(() => write(state, { expectedVersion: 2 }));
    expect(state.getVersion()).toBe(3);
    check(state);
  });

  it.each(writes)('%s rejects a stale expectedVersion with StateConflictError and changes nothing', async (_name, write) => {
    const state = await atVersion2();
    const before = observe(state);
    const error = await rejectionOf(callWrite(() => write(state, { expectedVersion: 1 })));
    expect(error).toBeInstanceOf(StateConflictError);
    expect(error).toMatchObject({ name: 'StateConflictError', expectedVersion: 1, actualVersion: 2 });
    expectUnchanged(state, before);
  });

  it('does not even run a modify recipe when the version is stale', async () => {
    const state = await atVersion2();
    let calls = 0;
    await expect(
      state.modify(
        'b',
        (n) => {
          calls++;
          return n;
        },
        { expectedVersion: 0 },
      ),
    ).rejects.toBeInstanceOf(StateConflictError);
    expect(calls).toBe(0);
  });

  it('lets exactly one of two writers racing on the same version win', async () => {
    const state = await atVersion2();
    const results = await Promise.allSettled([state.set('a', 'first', { expectedVersion: 2 }), state.set('a', 'second', { expectedVersion: 2 })]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected']);
    expect(state.get('a')).toBe('first');
    expect(state.getVersion()).toBe(3);
  });

  it.each([-1, 1.5, '2'])('refuses expectedVersion %s with StateValidationError', async (bad) => {
    const state = await atVersion2();
    const before = observe(state);
    await expect(callWrite(() => state.set('a', 'x', { expectedVersion: bad as number }))).rejects.toBeInstanceOf(StateValidationError);
    expectUnchanged(state, before);
  });
});
