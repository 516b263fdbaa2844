import { describe, expect, it } from 'vitest';
import { createThreadSafeState, StateRecipeError, StateValidationError, type StateShape } from 'concord-state';
import { callWrite, expectAlive, expectUnchanged, observe, rejectionOf } from './helpers.ts';

interface Doc {
  items: string[];
  count: number;
}

function docState() {
  return createThreadSafeState<{ doc: Doc; n: number; fresh: number; list: number[] }>({
    initialState: { doc: { items: ['a'], count: 1 }, n: 1 },
  });
}

describe('modify with a failing recipe', () => {
  it('turns a thrown Error into StateRecipeError(key, causeName, causeMessage) and changes nothing', async () => {
    const state = docState();
    const before = observe(state);
    const error = await rejectionOf(
      callWrite(() =>
        state.modify('doc', () => {
          throw new RangeError('out of range');
        }),
      ),
    );
    expect(error).toBeInstanceOf(StateRecipeError);
    const recipeError = error as StateRecipeError;
    expect(recipeError.key).toBe('doc');
    expect(recipeError.causeName).toBe('RangeError');
    expect(recipeError.causeMessage).toBe('out of range');
    expect(recipeError.message).toContain('unchanged');
    expectUnchanged(state, before);
    await expectAlive(state);
  });

  it('discards draft mutations made before the recipe threw', async () => {
    const state = docState();
    const before = observe(state);
    const error = await rejectionOf(
      state.modify('doc', (draft) => {
        draft!.items.push('half-done');
        draft!.count = 99;
        throw new Error('changed my mind');
      }),
    );
    expect(error).toBeInstanceOf(StateRecipeError);
    expect(state.get('doc')).toEqual({ items: ['a'], count: 1 });
    expectUnchanged(state, before);
  });

  it('reports a thrown non-Error (a string) as StateRecipeError too', async () => {
    const state = docState();
    const error = await rejectionOf(
      state.modify('n', () => {
        // eslint-disable-next-line @typescript-eslint/only-throw-error -- a recipe that throws a non-Error is what is tested
        throw 'plain string';
      }),
    );
    expect(error).toBeInstanceOf(StateRecipeError);
    expect((error as StateRecipeError).causeMessage).toBe('plain string');
    expect(state.get('n')).toBe(1);
  });

  it('refuses a recipe returning a Promise with StateRecipeError, changing nothing', async () => {
    const state = docState();
    const before = observe(state);
    const asyncRecipe = (async (n: number) => n + 1) as unknown as (n: number | undefined) => number;
    const error = await rejectionOf(callWrite(() => state.modify('n', asyncRecipe)));
    expect(error).toBeInstanceOf(StateRecipeError);
    expect((error as StateRecipeError).causeMessage).toMatch(/Promise/);
    expectUnchanged(state, before);
    await expectAlive(state);
  });

  it('refuses a recipe returning a function with StateValidationError, changing nothing', async () => {
    const state = docState();
    const before = observe(state);
    const error = await rejectionOf(callWrite(() => state.modify('n', () => (() => 2) as unknown as number)));
    expect(error).toBeInstanceOf(StateValidationError);
    expect((error as StateValidationError).key).toBe('n');
    expectUnchanged(state, before);
  });

  it('refuses a recipe that is not a function with StateValidationError', async () => {
    const state = docState();
    const before = observe(state);
    await expect(callWrite(() => state.modify('n', 5 as unknown as () => number))).rejects.toBeInstanceOf(StateValidationError);
    expectUnchanged(state, before);
  });
});

describe('modify that succeeds', () => {
  it('applies draft mutations and resolves with a copy of the new value', async () => {
    const state = docState();
    const result = await state.modify('doc', (draft) => {
      draft!.items.push('b');
      draft!.count += 1;
    });
    expect(result).toEqual({ items: ['a', 'b'], count: 2 });
    expect(state.get('doc')).toEqual({ items: ['a', 'b'], count: 2 });
    expect(state.getVersion()).toBe(1);
    result.items.push('not stored');
    expect(state.get('doc')?.items).toEqual(['a', 'b']);
  });

  it('stores a value returned by the recipe', async () => {
    const state = docState();
    await expect(state.modify('n', (n) => n! + 41)).resolves.toBe(42);
    expect(state.get('n')).toBe(42);
  });

  it('passes undefined as the draft for an absent key without a default', async () => {
    const state = docState();
    const seen: unknown[] = [];
    const result = await state.modify('fresh', (draft) => {
      seen.push(draft);
      return (draft ?? 0) + 1;
    });
    expect(seen).toEqual([undefined]);
    expect(result).toBe(1);
    expect(state.get('fresh')).toBe(1);
  });

  it('starts from `default` for an absent key', async () => {
    const state = docState();
    const result = await state.modify(
      'list',
      (draft) => {
        draft.push(3);
      },
      { default: [1, 2] },
    );
    expect(result).toEqual([1, 2, 3]);
    expect(state.get('list')).toEqual([1, 2, 3]);
  });

  it('ignores `default` when the key is present', async () => {
    const state = docState();
    await expect(state.modify('n', (n) => n * 10, { default: 500 })).resolves.toBe(10);
  });

  it('refuses an unstorable `default` with StateValidationError', async () => {
    const state = createThreadSafeState<StateShape>();
    const before = observe(state);
    await expect(callWrite(() => state.modify('k', (d) => d, { default: new WeakMap() }))).rejects.toBeInstanceOf(StateValidationError);
    expectUnchanged(state, before);
  });

  it('creates no version when the recipe changes nothing', async () => {
    const state = docState();
    const before = observe(state);
    await expect(state.modify('doc', () => undefined)).resolves.toEqual({ items: ['a'], count: 1 });
    await expect(state.modify('n', (n) => n)).resolves.toBe(1);
    await expect(
      state.modify('doc', (draft) => {
        draft!.count = 1;
      }),
    ).resolves.toEqual({ items: ['a'], count: 1 });
    expectUnchanged(state, before);
  });
});
