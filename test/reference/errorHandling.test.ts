import { describe, expect, it } from 'vitest';
import {
  createThreadSafeState,
  errorFromPayload,
  StateConflictError,
  StateKeyError,
  StateRecipeError,
  StateRollbackError,
  StateStoppedError,
  StateValidationError,
  StateVersionError,
  ThreadSafeStateError,
} from 'concord-state';
import { rejectionOf, thrownBy } from './helpers.ts';

describe('error handling (reference: TestThreadSafeStateErrorHandling)', () => {
  it('getRequired throws StateKeyError naming the key and the keys that exist', async () => {
    const state = createThreadSafeState<Record<string, number>>({ initialState: { alpha: 1, beta: 2 } });

    const error = thrownBy(() => state.getRequired('nonexistent'));

    expect(error).toBeInstanceOf(StateKeyError);
    expect(error).toBeInstanceOf(ThreadSafeStateError);
    expect(error).toMatchObject({ name: 'StateKeyError', key: 'nonexistent', availableKeys: ['alpha', 'beta'] });
    expect((error as Error).message).toContain('nonexistent');
  });

  it('the StateKeyError message lists at most the first 10 keys, but availableKeys has them all', () => {
    const initialState = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`key-${String(i).padStart(2, '0')}`, i]));
    const state = createThreadSafeState<Record<string, number>>({ initialState });

    const error = thrownBy(() => state.getRequired('missing')) as StateKeyError;

    expect(error.availableKeys).toHaveLength(12);
    expect(error.message).toContain('key-00');
    expect(error.message).toContain('key-09');
    expect(error.message).not.toContain('key-10');
    expect(error.message).not.toContain('key-11');
  });

  it('getRequired returns a present value, including a stored null', async () => {
    const state = createThreadSafeState<{ config: { retries: number }; nothing: null }>();
    await state.update({ config: { retries: 3 }, nothing: null });

    expect(state.getRequired('config')).toEqual({ retries: 3 });
    expect(state.getRequired('nothing')).toBeNull();
  });

  it('getWithFallback tries the key, then the fallbacks in order, then the default', async () => {
    const state = createThreadSafeState<Record<string, string | null>>({
      initialState: { defaultConfig: 'default', systemConfig: 'system' },
    });

    expect(state.getWithFallback('userConfig', ['defaultConfig', 'systemConfig'], 'none')).toBe('default');
    expect(state.getWithFallback('userConfig', ['missing', 'systemConfig'], 'none')).toBe('system');
    expect(state.getWithFallback('userConfig', ['missing'], 'none')).toBe('none');
    expect(state.getWithFallback('userConfig', ['missing'])).toBeUndefined();

    await state.set('userConfig', null);
    expect(state.getWithFallback('userConfig', ['defaultConfig'], 'none')).toBeNull();
  });

  it('errors from the mailbox are instances of the exported classes with their structured fields', async () => {
    const state = createThreadSafeState<Record<string, unknown>>({ maxHistorySize: 1 });
    await state.set('a', 1);
    await state.set('a', 2);

    const cases: [() => Promise<unknown>, new (...args: never[]) => ThreadSafeStateError, Record<string, unknown>][] = [
      [() => state.rollback(9), StateVersionError, { currentVersion: 2, targetVersion: 9 }],
      [() => state.rollback(0), StateRollbackError, { targetVersion: 0, oldestVersion: 1 }],
      [() => state.set('a', 3, { expectedVersion: 1 }), StateConflictError, { expectedVersion: 1, actualVersion: 2 }],
      [() => state.set('fn', () => 1), StateValidationError, { key: 'fn' }],
      [
        () =>
          state.modify('a', () => {
            throw new RangeError('bad recipe');
          }),
        StateRecipeError,
        { key: 'a', causeName: 'RangeError', causeMessage: 'bad recipe' },
      ],
    ];

    for (const [command, ErrorClass, fields] of cases) {
      const error = await rejectionOf(command());
      expect(error).toBeInstanceOf(ErrorClass);
      expect(error).toBeInstanceOf(ThreadSafeStateError);
      expect(error).toBeInstanceOf(Error);
      expect(error).toMatchObject({ name: ErrorClass.name, ...fields });
    }
    expect(state.get('a')).toBe(2);
  });

  it('a value that cannot be stored is refused with StateValidationError and changes nothing', async () => {
    const state = createThreadSafeState<Record<string, unknown>>({ initialState: { a: 1 } });

    const error = await rejectionOf(state.set('a', { nested: { handler: () => 'no' } }));

    expect(error).toBeInstanceOf(StateValidationError);
    expect((error as StateValidationError).issues[0]?.path).toEqual(['nested', 'handler']);
    expect(state.get('a')).toBe(1);
    expect(state.getVersion()).toBe(0);
  });

  it('a modify whose recipe throws leaves the state unchanged', async () => {
    const state = createThreadSafeState<{ list: number[] }>({ initialState: { list: [1] } });

    await expect(
      state.modify('list', (draft) => {
        draft?.push(2);
        throw new Error('half way');
      }),
    ).rejects.toBeInstanceOf(StateRecipeError);

    expect(state.get('list')).toEqual([1]);
    expect(state.getVersion()).toBe(0);
  });

  it('errorFromPayload rebuilds the class named in a payload', () => {
    const original = new StateKeyError('missing', ['a', 'b']);

    const revived = errorFromPayload(original.toPayload());

    expect(revived).toBeInstanceOf(StateKeyError);
    expect(revived).toMatchObject({ name: 'StateKeyError', key: 'missing', availableKeys: ['a', 'b'], message: original.message });
  });

  it('after stop, writes reject with StateStoppedError and reads return the last state', async () => {
    const state = createThreadSafeState<{ counter: number }>();
    await state.set('counter', 1);

    state.stop();

    await expect(state.set('counter', 2)).rejects.toBeInstanceOf(StateStoppedError);
    expect(state.get('counter')).toBe(1);
  });
});
