import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { createThreadSafeState, StateValidationError, type StateChangeRecord, type StateShape, type StateSnapshot, type ThreadSafeState } from 'concord-state';

/*
 * Type tests: `tsc --noEmit -p tsconfig.json` checks every expectTypeOf and
 * fails on a `@ts-expect-error` that no longer has an error under it. Each
 * refused line also runs, and the state refuses it at run time as well.
 */

const schema = z.object({ n: z.number(), tags: z.array(z.string()) });
type Shape = { n: number; tags: string[] };

describe('a state typed by its schema alone', () => {
  it('is a ThreadSafeState of the schema’s output, not of a record', () => {
    const state = createThreadSafeState({ schema });
    expectTypeOf(state).toEqualTypeOf<ThreadSafeState<Shape>>();
    expectTypeOf(state).not.toEqualTypeOf<ThreadSafeState<StateShape>>();
    const single = createThreadSafeState({ schema: z.object({ n: z.number() }) });
    expectTypeOf(single).toEqualTypeOf<ThreadSafeState<{ n: number }>>();
    const assignable: ThreadSafeState<{ n: number }> = single;
    expect(assignable.size).toBe(0);
  });

  it('reads each key as its value type, and no key the schema does not name', () => {
    const state = createThreadSafeState({ schema, initialState: { n: 1, tags: [] } });
    expectTypeOf(state.get('n')).toEqualTypeOf<number | undefined>();
    expectTypeOf(state.get('n', 0)).toEqualTypeOf<number>();
    expectTypeOf(state.getRequired('tags')).toEqualTypeOf<string[]>();
    expectTypeOf(state.keys()).toEqualTypeOf<('n' | 'tags')[]>();
    expectTypeOf(state.snapshot()).toEqualTypeOf<StateSnapshot<Shape>>();
    expectTypeOf(state.snapshot().n).toEqualTypeOf<number | undefined>();
    expectTypeOf(state.getHistory({ key: 'n' })).toEqualTypeOf<StateChangeRecord[]>();
    // @ts-expect-error the schema has no key "missing"
    expect(state.get('missing')).toBeUndefined();
    // @ts-expect-error the schema has no key "missing"
    expect(state.getHistory({ key: 'missing' })).toEqual([]);
    expect(state.get('n')).toBe(1);
  });

  it('starts from any subset of the schema’s keys, and only from values of their types', () => {
    expect(createThreadSafeState({ schema }).size).toBe(0);
    expect(createThreadSafeState({ schema, initialState: { tags: ['a'] } }).get('tags')).toEqual(['a']);
    expect(createThreadSafeState({ schema, initialState: { n: 1, tags: [] }, maxHistorySize: 10 }).size).toBe(2);
    // @ts-expect-error n is a number
    expect(() => createThreadSafeState({ schema, initialState: { n: 'one' } })).toThrow(StateValidationError);
    // @ts-expect-error the schema has no key "other"
    expect(() => createThreadSafeState({ schema, initialState: { other: 1 } })).toThrow(StateValidationError);
    // @ts-expect-error exactOptionalPropertyTypes: an absent key is left out, not set to undefined
    expect(() => createThreadSafeState({ schema, initialState: { n: undefined } })).toThrow(StateValidationError);
  });

  it('types every write by the schema', async () => {
    const state = createThreadSafeState({ schema });
    const set = state.set('n', 1);
    expectTypeOf(set).toEqualTypeOf<Promise<number>>();
    await expect(set).resolves.toBe(1);
    // @ts-expect-error n is a number
    await expect(state.set('n', 'one')).rejects.toBeInstanceOf(StateValidationError);
    // @ts-expect-error the schema has no key "missing"
    await expect(state.set('missing', 1)).rejects.toBeInstanceOf(StateValidationError);
    // @ts-expect-error tags is a string[]
    await expect(state.update({ tags: [1] })).rejects.toBeInstanceOf(StateValidationError);
    const update = state.update({ tags: ['a'] });
    expectTypeOf(update).toEqualTypeOf<Promise<number>>();
    await expect(update).resolves.toBe(2);
    const rollback = state.rollback(1);
    expectTypeOf(rollback).toEqualTypeOf<Promise<number>>();
    await expect(rollback).resolves.toBe(3);
  });

  it('types a modify’s draft: the value type with a default, or undefined too without one', async () => {
    const state = createThreadSafeState({ schema });
    const next = state.modify(
      'n',
      (draft) => {
        expectTypeOf(draft).toEqualTypeOf<number>();
        return draft + 1;
      },
      { default: 0 },
    );
    expectTypeOf(next).toEqualTypeOf<Promise<number>>();
    await expect(next).resolves.toBe(1);
    const tags = state.modify('tags', (draft) => {
      expectTypeOf(draft).toEqualTypeOf<string[] | undefined>();
      return [...(draft ?? []), 'a'];
    });
    expectTypeOf(tags).toEqualTypeOf<Promise<string[]>>();
    await expect(tags).resolves.toEqual(['a']);
    // @ts-expect-error the default must be a number
    await expect(createThreadSafeState({ schema }).modify('n', (draft) => draft, { default: 'zero' })).rejects.toBeInstanceOf(StateValidationError);
  });

  it('waits on snapshots of the schema’s type', async () => {
    const state = createThreadSafeState({ schema, initialState: { n: 2 } });
    const seen = await state.waitFor((snapshot) => {
      expectTypeOf(snapshot.n).toEqualTypeOf<number | undefined>();
      return snapshot.n === 2;
    });
    expectTypeOf(seen).toEqualTypeOf<StateSnapshot<Shape>>();
    expect(seen.n).toBe(2);
  });

  it('still takes its type from a type argument, as before', () => {
    const state = createThreadSafeState<{ counter: number }>({ initialState: { counter: 0 } });
    expectTypeOf(state.get('counter')).toEqualTypeOf<number | undefined>();
    expectTypeOf(createThreadSafeState()).toEqualTypeOf<ThreadSafeState<StateShape>>();
    expectTypeOf(createThreadSafeState().get('anything')).toEqualTypeOf<unknown>();
  });
});
