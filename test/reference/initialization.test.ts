import { describe, expect, it } from 'vitest';
import { createThreadSafeState, StateOptionsError, ThreadSafeStateError, type ThreadSafeStateOptions } from 'concord-state';
import { plain, thrownBy } from './helpers.ts';

describe('initialization (reference: TestThreadSafeStateInitialization)', () => {
  it('with no options the state is empty at version 0 with no history', () => {
    const state = createThreadSafeState();

    expect(state.size).toBe(0);
    expect(state.getVersion()).toBe(0);
    expect(state.getHistory()).toEqual([]);
    expect(plain(state.snapshot())).toStrictEqual({});
  });

  it('stores initialState values at version 0 without history records', async () => {
    const state = createThreadSafeState<{ counter: number; status: string }>({ initialState: { counter: 0, status: 'ready' } });

    expect(state.getVersion()).toBe(0);
    expect(state.getHistory()).toEqual([]);
    expect(state.get('counter')).toBe(0);
    expect(state.get('status')).toBe('ready');

    await state.set('counter', 1);
    expect(plain(state.snapshotAt(0))).toStrictEqual({ counter: 0, status: 'ready' });
    expect(state.getHistory()[0]).toMatchObject({ oldValue: 0, existedBefore: true });
  });

  it('keeps an initialState key that holds null or undefined', () => {
    const state = createThreadSafeState<{ nothing: null; unset: undefined }>({ initialState: { nothing: null, unset: undefined } });

    expect(state.size).toBe(2);
    expect(state.has('unset')).toBe(true);
    expect(state.get('nothing', 'absent')).toBeNull();
  });

  it('a maxHistorySize that is not an integer >= 1 throws StateOptionsError', () => {
    for (const maxHistorySize of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '10' as unknown as number]) {
      const error = thrownBy(() => createThreadSafeState({ maxHistorySize }));

      expect(error, String(maxHistorySize)).toBeInstanceOf(StateOptionsError);
      expect(error).toBeInstanceOf(ThreadSafeStateError);
      expect((error as StateOptionsError).issues.some((issue) => issue.path.includes('maxHistorySize'))).toBe(true);
    }
  });

  it('maxHistorySize 1 is accepted and keeps only the last version', async () => {
    const state = createThreadSafeState<{ counter: number }>({ maxHistorySize: 1 });

    await state.set('counter', 1);
    await state.set('counter', 2);
    await state.set('counter', 3);

    expect(state.getHistory().map((r) => r.version)).toEqual([3]);
    await expect(state.rollback(2)).resolves.toBe(4);
    expect(state.get('counter')).toBe(2);
  });

  it('maxHistorySize defaults to 1000 records', async () => {
    const state = createThreadSafeState<{ counter: number }>();

    for (let i = 1; i <= 1001; i++) await state.set('counter', i);

    const history = state.getHistory();
    expect(history).toHaveLength(1000);
    expect(history.at(-1)?.version).toBe(2);
  });

  it('an unknown option throws StateOptionsError', () => {
    const options = { maxHistory: 10 } as unknown as ThreadSafeStateOptions<Record<string, unknown>>;

    expect(() => createThreadSafeState(options)).toThrow(StateOptionsError);
  });

  it('separate states do not share anything', async () => {
    const first = createThreadSafeState<{ counter: number }>();
    const second = createThreadSafeState<{ counter: number }>();

    await first.set('counter', 1);

    expect(second.has('counter')).toBe(false);
    expect(second.getVersion()).toBe(0);
    expect(second.getHistory()).toEqual([]);
  });
});
