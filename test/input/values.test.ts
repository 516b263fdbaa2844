import { describe, expect, it } from 'vitest';
import { createThreadSafeState, StateValidationError, ThreadSafeStateError, type StateShape } from 'concord-state';
import { callWrite, expectAlive, expectUnchanged, nested, observe, rejectionOf } from './helpers.ts';

class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}

const unstorable: ReadonlyArray<[label: string, make: () => unknown]> = [
  ['a function', () => () => 1],
  ['a symbol', () => Symbol('s')],
  ['a WeakMap', () => new WeakMap()],
  ['a WeakSet', () => new WeakSet()],
  ['a class instance', () => new Point(1, 2)],
  ['a RegExp', () => /abc/g],
  ['a typed array', () => new Uint8Array([1, 2, 3])],
  ['an Error', () => new Error('nope')],
  ['a Promise', () => Promise.resolve(1)],
];

describe('values that cannot be stored', () => {
  it.each(unstorable)('refuses %s with a StateValidationError naming the key, changing nothing', async (_label, make) => {
    const state = createThreadSafeState<StateShape>({ initialState: { target: 'old' } });
    const before = observe(state);
    const error = await rejectionOf(callWrite(() => state.set('target', make())));
    expect(error).toBeInstanceOf(StateValidationError);
    expect(error).toBeInstanceOf(ThreadSafeStateError);
    const validation = error as StateValidationError;
    expect(validation.name).toBe('StateValidationError');
    expect(validation.key).toBe('target');
    expect(validation.issues).toHaveLength(1);
    expect(validation.message).toContain('"target"');
    expect(state.get('target')).toBe('old');
    expectUnchanged(state, before);
    await expectAlive(state);
  });

  it('names the path of a function nested deep inside an object', async () => {
    const state = createThreadSafeState();
    const error = await rejectionOf(state.set('config', { a: { b: [1, { ok: true, c: () => 1 }] } }));
    expect(error).toBeInstanceOf(StateValidationError);
    const { key, issues } = error as StateValidationError;
    expect(key).toBe('config');
    expect(issues[0]?.path.map(String)).toEqual(['a', 'b', '1', 'c']);
    expect(issues[0]?.message).toMatch(/function/i);
    expect(state.has('config')).toBe(false);
  });

  it('names the path of a class instance inside a Map value and a symbol inside a Set', async () => {
    const state = createThreadSafeState();
    const inMap = await rejectionOf(state.set('m', { registry: new Map([['p', new Point(0, 0)]]) }));
    expect((inMap as StateValidationError).issues[0]?.path.map(String)).toEqual(['registry', 'p']);
    const inSet = await rejectionOf(state.set('s', [new Set([1, Symbol('x')])]));
    expect((inSet as StateValidationError).issues[0]?.path.map(String)).toEqual(['0', '<set item>']);
    expect(state.size).toBe(0);
  });

  it('refuses an update() with one bad value among good ones as a whole (atomic)', async () => {
    const state = createThreadSafeState<StateShape>({ initialState: { a: 1, b: 2 } });
    await state.set('c', 3);
    const before = observe(state);
    const error = await rejectionOf(callWrite(() => state.update({ a: 10, b: () => 20, d: 40 })));
    expect(error).toBeInstanceOf(StateValidationError);
    expect((error as StateValidationError).key).toBe('b');
    expect(state.get('a')).toBe(1);
    expect(state.has('d')).toBe(false);
    expectUnchanged(state, before);
  });

  it('refuses a value whose getter throws, and stays alive', async () => {
    const state = createThreadSafeState();
    const before = observe(state);
    const hostile = {
      get boom(): number {
        throw new Error('getter exploded');
      },
    };
    const error = await rejectionOf(callWrite(() => state.set('h', hostile)));
    expect(error).toBeInstanceOf(StateValidationError);
    expect((error as StateValidationError).message).toContain('getter exploded');
    expectUnchanged(state, before);
    await expectAlive(state);
  });

  it('stores every supported kind: primitives incl. bigint/undefined/null, null-prototype objects, arrays, Date, Map, Set', async () => {
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { k: 1 });
    const state = createThreadSafeState();
    await state.update({
      big: 10n,
      undef: undefined,
      nul: null,
      bare,
      list: [1, 'two', [3]],
      when: new Date(0),
      map: new Map<unknown, unknown>([[{ id: 1 }, 'object key']]),
      set: new Set([1, 2]),
    });
    expect(state.get('big')).toBe(10n);
    expect(state.has('undef')).toBe(true);
    expect(state.get('undef', 'default')).toBeUndefined();
    expect(state.get('nul')).toBeNull();
    expect(Object.getPrototypeOf(state.get('bare'))).toBeNull();
    expect(state.get('list')).toEqual([1, 'two', [3]]);
    expect(state.get('when')).toEqual(new Date(0));
    expect([...(state.get('map') as Map<unknown, unknown>).entries()]).toEqual([[{ id: 1 }, 'object key']]);
    expect(state.get('set')).toEqual(new Set([1, 2]));
  });
});

describe('cyclic and deeply nested values', () => {
  it('stores a cyclic value; get() returns a fresh copy with the same cycles', async () => {
    const state = createThreadSafeState();
    const node: Record<string, unknown> = { name: 'root' };
    node.self = node;
    node.children = [node];
    await state.set('graph', node);

    const copy = state.get('graph') as Record<string, unknown> & { self: unknown; children: unknown[] };
    expect(copy).not.toBe(node);
    expect(copy.self).toBe(copy);
    expect(copy.children[0]).toBe(copy);
    expect(Object.isFrozen(copy)).toBe(false);
    expect(state.get('graph')).not.toBe(copy);
  });

  it('keeps a cyclic value frozen and cyclic inside the snapshot', async () => {
    const state = createThreadSafeState();
    const map = new Map<string, unknown>();
    map.set('me', map);
    const node: Record<string, unknown> = { map };
    node.self = node;
    await state.set('graph', node);
    const stored = state.snapshot().graph as { self: unknown; map: Map<string, unknown> };
    expect(Object.isFrozen(stored)).toBe(true);
    expect(stored.self).toBe(stored);
    expect(stored.map.get('me')).toBe(stored.map);
    expect(stored.map).not.toBe(map);
  });

  it('accepts nesting of exactly 1000 levels', async () => {
    const state = createThreadSafeState();
    await expect(state.set('deep', nested(1000))).resolves.toBe(1);
  });

  it('refuses nesting beyond 1000 levels with a StateValidationError and stays alive', async () => {
    const state = createThreadSafeState<StateShape>({ initialState: { a: 1 } });
    const before = observe(state);
    const error = await rejectionOf(callWrite(() => state.set('deep', nested(1100))));
    expect(error).toBeInstanceOf(StateValidationError);
    expect((error as StateValidationError).issues[0]?.message).toMatch(/1000 levels/);
    expectUnchanged(state, before);
    await expectAlive(state);
  });

  it('refuses a 100,000-level structure without overflowing the stack', async () => {
    const state = createThreadSafeState();
    const before = observe(state);
    await expect(callWrite(() => state.update({ ok: 1, deep: nested(100_000) }))).rejects.toBeInstanceOf(StateValidationError);
    expectUnchanged(state, before);
    await expectAlive(state);
  });
});

describe('stored values are deep-frozen private copies', () => {
  it('ignores mutations of the object passed to set() after the call', async () => {
    const state = createThreadSafeState();
    const input = { list: [1, 2], inner: { n: 1 }, map: new Map([['k', 1]]), when: new Date(0) };
    await state.set('doc', input);
    input.list.push(3);
    input.inner.n = 99;
    input.map.set('k', 2);
    input.when.setTime(5);
    expect(state.get('doc')).toEqual({ list: [1, 2], inner: { n: 1 }, map: new Map([['k', 1]]), when: new Date(0) });
    expect(state.getVersion()).toBe(1);
  });

  it('ignores mutations of what get() returned', async () => {
    const state = createThreadSafeState<StateShape>({ initialState: { doc: { list: [1], set: new Set([1]) } } });
    const copy = state.get('doc') as { list: number[]; set: Set<number> };
    copy.list.push(2);
    copy.set.add(2);
    expect(state.get('doc')).toEqual({ list: [1], set: new Set([1]) });
    expect(state.getVersion()).toBe(0);
  });

  it('throws TypeError when assigning into a snapshot or a value inside it (strict mode)', async () => {
    const state = createThreadSafeState();
    await state.set('doc', { inner: { n: 1 }, list: [1] });
    const snapshot = state.snapshot() as Record<string, { inner: { n: number }; list: number[] }>;
    const doc = snapshot.doc!;
    expect(Object.isFrozen(snapshot)).toBe(true);
    expect(() => {
      snapshot.extra = doc;
    }).toThrow(TypeError);
    expect(() => {
      doc.inner.n = 2;
    }).toThrow(TypeError);
    expect(() => doc.list.push(2)).toThrow(TypeError);
    expect(state.get('doc')).toEqual({ inner: { n: 1 }, list: [1] });
  });

  it('refuses set/add/delete/clear/setTime on a Map, Set and Date inside a snapshot', async () => {
    const state = createThreadSafeState();
    await state.update({ map: new Map([['a', 1]]), set: new Set(['x']), when: new Date(1000) });
    const snapshot = state.snapshot() as { map: Map<string, number>; set: Set<string>; when: Date };
    expect(() => snapshot.map.set('b', 2)).toThrow(TypeError);
    expect(() => snapshot.map.delete('a')).toThrow(TypeError);
    expect(() => snapshot.map.clear()).toThrow(TypeError);
    expect(() => snapshot.set.add('y')).toThrow(TypeError);
    expect(() => snapshot.set.delete('x')).toThrow(TypeError);
    expect(() => snapshot.when.setTime(0)).toThrow(TypeError);
    expect(() => snapshot.when.setFullYear(1999)).toThrow(TypeError);
    expect(state.get('map')).toEqual(new Map([['a', 1]]));
    expect(state.get('set')).toEqual(new Set(['x']));
    expect((state.get('when') as Date).getTime()).toBe(1000);
  });

  it('gives mutable Map/Set/Date copies from get(), unlike the snapshot', async () => {
    const state = createThreadSafeState<StateShape>({ initialState: { map: new Map([['a', 1]]), when: new Date(1000) } });
    const map = state.get('map') as Map<string, number>;
    const when = state.get('when') as Date;
    map.set('b', 2);
    when.setTime(0);
    expect(state.get('map')).toEqual(new Map([['a', 1]]));
    expect((state.get('when') as Date).getTime()).toBe(1000);
  });

  it('freezes the values recorded in history', async () => {
    const state = createThreadSafeState();
    await state.set('doc', { n: 1 });
    const [record] = state.getHistory();
    expect(Object.isFrozen(record)).toBe(true);
    expect(Object.isFrozen(record?.newValue)).toBe(true);
    expect(() => {
      (record?.newValue as { n: number }).n = 2;
    }).toThrow(TypeError);
    expect(state.get('doc')).toEqual({ n: 1 });
  });
});
