import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { createThreadSafeState, StateValidationError, type ThreadSafeState } from 'concord-state';
import { callWrite, expectAlive, expectUnchanged, observe, rejectionOf } from './helpers.ts';

const Shape = z.object({ counter: z.number(), name: z.string() });

function typedState() {
  return createThreadSafeState({ schema: Shape, initialState: { counter: 0, name: 'a' } });
}

describe('schema option', () => {
  it('types reads and writes from the schema at compile time', () => {
    const state = typedState();
    expectTypeOf(state).toEqualTypeOf<ThreadSafeState<{ counter: number; name: string }>>();
    expectTypeOf(state.get('counter')).toEqualTypeOf<number | undefined>();
    expectTypeOf(state.get('name', 'x')).toEqualTypeOf<string>();
    expectTypeOf(state.getRequired('counter')).toEqualTypeOf<number>();
    expectTypeOf(state.set<'counter'>)
      .parameter(1)
      .toEqualTypeOf<number>();
    // @ts-expect-error a string is not a number
    void state.set('counter', 'ten').catch(() => undefined);
    // @ts-expect-error the schema has no such key
    void state.set('unknown', 1).catch(() => undefined);
    expect(state.get('counter')).toBe(0);
  });

  it('refuses a value of the wrong type with a StateValidationError carrying zod issues', async () => {
    const state = typedState();
    const before = observe(state);
    const error = await rejectionOf(callWrite(() => state.set('counter', 'ten' as unknown as number)));
    expect(error).toBeInstanceOf(StateValidationError);
    const { key, issues } = error as StateValidationError;
    expect(key).toBe('counter');
    expect(issues.length).toBeGreaterThan(0);
    expect(issues[0]?.message).toMatch(/number/);
    expectUnchanged(state, before);
    await expectAlive(state, () => state.set('counter', 1));
  });

  it('refuses a key the schema does not name', async () => {
    const state = typedState();
    const before = observe(state);
    const untyped = state as unknown as ThreadSafeState;
    const error = await rejectionOf(callWrite(() => untyped.set('stranger', 1)));
    expect(error).toBeInstanceOf(StateValidationError);
    expect((error as StateValidationError).key).toBe('stranger');
    expect((error as StateValidationError).message).toContain('stranger');
    expectUnchanged(state, before);
  });

  it('refuses an update() with one ill-typed value as a whole', async () => {
    const state = typedState();
    const before = observe(state);
    await expect(callWrite(() => state.update({ counter: 5, name: 7 as unknown as string }))).rejects.toBeInstanceOf(StateValidationError);
    expect(state.get('counter')).toBe(0);
    expectUnchanged(state, before);
  });

  it('refuses a modify() whose result breaks the schema, and does not store it', async () => {
    const state = typedState();
    const before = observe(state);
    const error = await rejectionOf(callWrite(() => state.modify('counter', () => 'NaN' as unknown as number)));
    expect(error).toBeInstanceOf(StateValidationError);
    expect((error as StateValidationError).key).toBe('counter');
    expectUnchanged(state, before);
  });

  it('refuses an ill-typed initialState at creation with StateValidationError', () => {
    expect(() => createThreadSafeState({ schema: Shape, initialState: { counter: 'zero' as unknown as number } })).toThrow(StateValidationError);
  });

  it('stores the output of zod defaults and transforms, not the input', async () => {
    const state = createThreadSafeState({
      schema: z.object({
        name: z.string().default('anonymous'),
        tags: z.array(z.string()).transform((tags) => tags.map((tag) => tag.toUpperCase())),
        count: z.coerce.number(),
      }),
    });
    await state.set('name', undefined as unknown as string);
    await state.set('tags', ['a', 'b']);
    await state.set('count', '42' as unknown as number);
    expect(state.get('name')).toBe('anonymous');
    expect(state.get('tags')).toEqual(['A', 'B']);
    expect(state.get('count')).toBe(42);
    expect(state.getHistory({ key: 'tags' })[0]?.newValue).toEqual(['A', 'B']);
  });

  it('still refuses unstorable values that the schema lets through', async () => {
    const state = createThreadSafeState({ schema: z.object({ anything: z.any() }) });
    await expect(state.set('anything', () => 1)).rejects.toBeInstanceOf(StateValidationError);
    expect(state.getVersion()).toBe(0);
  });

  it('accepts keys outside the shape when the schema has a catchall of the right type', async () => {
    const state = createThreadSafeState({ schema: z.object({ fixed: z.number() }).catchall(z.string()) }) as unknown as ThreadSafeState;
    await expect(state.set('free', 'text')).resolves.toBe(1);
    await expect(state.set('free', 1)).rejects.toBeInstanceOf(StateValidationError);
    expect(state.get('free')).toBe('text');
  });
});

describe('valueSchema option', () => {
  it('makes every written value pass the schema, for set, update and modify', async () => {
    const state = createThreadSafeState<Record<string, unknown>>({ valueSchema: z.number().int(), initialState: { a: 1 } });
    const before = observe(state);
    await expect(callWrite(() => state.set('a', 1.5))).rejects.toBeInstanceOf(StateValidationError);
    await expect(callWrite(() => state.update({ b: 2, c: 'three' }))).rejects.toBeInstanceOf(StateValidationError);
    await expect(callWrite(() => state.modify('a', () => 'x'))).rejects.toBeInstanceOf(StateValidationError);
    expectUnchanged(state, before);
    await expect(state.update({ b: 2, c: 3 })).resolves.toBe(1);
  });

  it('stores the valueSchema output', async () => {
    const state = createThreadSafeState({ valueSchema: z.string().trim() });
    await state.set('a', '  padded  ');
    expect(state.get('a')).toBe('padded');
  });
});
