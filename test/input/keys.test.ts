import { describe, expect, it } from 'vitest';
import { createThreadSafeState, StateValidationError, type StateShape, type ThreadSafeState } from 'concord-state';
import { callWrite, expectAlive, expectUnchanged, observe, rejectionOf } from './helpers.ts';

const badKeys: ReadonlyArray<[label: string, key: unknown]> = [
  ['a number', 42],
  ['null', null],
  ['an object', { key: 'a' }],
  ['an empty string', ''],
];

function seeded(): ThreadSafeState {
  return createThreadSafeState<StateShape>({ initialState: { keep: 1 } });
}

describe('invalid keys', () => {
  describe.each(badKeys)('a key that is %s', (_label, badKey) => {
    const key = badKey as string;

    it('is refused by set(), delete() and modify() with a rejected StateValidationError, changing nothing', async () => {
      const state = seeded();
      const before = observe(state);
      const error = await rejectionOf(callWrite(() => state.set(key, 1)));
      expect(error).toBeInstanceOf(StateValidationError);
      expect((error as StateValidationError).issues.length).toBeGreaterThan(0);
      await expect(callWrite(() => state.delete(key))).rejects.toBeInstanceOf(StateValidationError);
      await expect(callWrite(() => state.modify(key, () => 1, { default: 0 }))).rejects.toBeInstanceOf(StateValidationError);
      expectUnchanged(state, before);
      await expectAlive(state);
    });

    it('makes get(), has() and getRequired() throw StateValidationError synchronously', () => {
      const state = seeded();
      expect(() => state.get(key)).toThrow(StateValidationError);
      expect(() => state.has(key)).toThrow(StateValidationError);
      expect(() => state.getRequired(key)).toThrow(StateValidationError);
      expect(() => state.getWithFallback(key, ['keep'])).toThrow(StateValidationError);
      expect(() => state.getWithFallback('absent', [key])).toThrow(StateValidationError);
    });
  });

  it('refuses update() with an empty-string key among good keys, as a whole', async () => {
    const state = seeded();
    const before = observe(state);
    const error = await rejectionOf(callWrite(() => state.update({ good: 1, '': 2, other: 3 })));
    expect(error).toBeInstanceOf(StateValidationError);
    expect((error as StateValidationError).key).toBe('');
    expect(state.has('good')).toBe(false);
    expectUnchanged(state, before);
  });

  it('refuses update() whose argument is not a plain object (array, null, class instance)', async () => {
    const state = seeded();
    const before = observe(state);
    for (const values of [['a'], null, new Map([['a', 1]]), 'abc']) {
      await expect(callWrite(() => state.update(values as unknown as Record<string, unknown>))).rejects.toBeInstanceOf(StateValidationError);
    }
    expectUnchanged(state, before);
    await expectAlive(state);
  });
});

const specialKeys = ['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString'] as const;

describe('keys that name Object.prototype members are ordinary keys', () => {
  it('reports them absent before they are written (no inherited values leak through)', () => {
    const state = createThreadSafeState();
    for (const key of specialKeys) {
      expect(state.has(key)).toBe(false);
      expect(state.get(key)).toBeUndefined();
      expect(state.get(key, 'fallback')).toBe('fallback');
    }
    expect(state.keys()).toEqual([]);
    expect(Object.keys(state.snapshot())).toEqual([]);
  });

  it.each(specialKeys)('%s works with set/get/has/keys/snapshot/update/delete/rollback', async (key) => {
    const state = createThreadSafeState();
    const v1 = await state.set(key, { n: 1 });
    expect(state.get(key)).toEqual({ n: 1 });
    expect(state.has(key)).toBe(true);
    expect(state.keys()).toEqual([key]);
    const snapshot = state.snapshot();
    expect(Object.getPrototypeOf(snapshot)).toBeNull();
    expect(Object.hasOwn(snapshot, key)).toBe(true);
    expect(Object.getOwnPropertyDescriptor(snapshot, key)?.value).toEqual({ n: 1 });

    await state.update({ [key]: 'two' });
    expect(state.get(key)).toBe('two');
    expect(await state.delete(key)).toBe(true);
    expect(state.has(key)).toBe(false);

    await state.rollback(v1);
    expect(state.get(key)).toEqual({ n: 1 });
    expect(state.getHistory({ key }).map((record) => record.operation)).toEqual(['rollback', 'delete', 'update', 'set']);
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'n')).toBe(false);
  });

  it('stores "__proto__" given as a computed key or by JSON.parse to update(), without touching prototypes', async () => {
    const originalToString = Object.prototype.toString;
    const state = createThreadSafeState();
    await state.update({ ['__proto__']: 1 });
    expect(state.get('__proto__')).toBe(1);
    await state.update(JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}') as Record<string, unknown>);
    expect(state.get('__proto__')).toEqual({ polluted: true });
    expect(state.keys()).toEqual(['__proto__', 'constructor']);

    const copy = state.get('__proto__') as Record<string, unknown>;
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype.toString).toBe(originalToString);
    expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain('polluted');
  });

  it('keeps a "__proto__" key nested inside a value as an own property of the copies', async () => {
    const state = createThreadSafeState();
    const value = JSON.parse('{"inner": {"__proto__": {"polluted": true}}}') as Record<string, unknown>;
    await state.set('doc', value);
    const read = state.get('doc') as { inner: object };
    expect(Object.hasOwn(read.inner, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(read.inner)).toBe(Object.prototype);
    expect((read.inner as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('accepts "__proto__" in initialState given by JSON.parse', () => {
    const state = createThreadSafeState({ initialState: JSON.parse('{"__proto__": 7, "toString": 8}') as Record<string, unknown> });
    expect(state.get('__proto__')).toBe(7);
    expect(state.get('toString')).toBe(8);
    expect(state.size).toBe(2);
    expect(typeof Object.prototype.toString).toBe('function');
  });
});
