import { describe, expect, it } from 'vitest';
import { createThreadSafeState } from 'concord-state';

describe('basic operations (reference: TestThreadSafeStateBasicOperations)', () => {
  it('set stores a value that get returns, and resolves with the new version', async () => {
    const state = createThreadSafeState<{ counter: number }>();

    await expect(state.set('counter', 42)).resolves.toBe(1);
    expect(state.get('counter')).toBe(42);

    await expect(state.set('counter', 43)).resolves.toBe(2);
    expect(state.get('counter')).toBe(43);
    expect(state.size).toBe(1);
  });

  it('get returns undefined for an absent key and the default only when the key is absent', async () => {
    const state = createThreadSafeState<{ present: number; absent: number }>();
    await state.set('present', 7);

    expect(state.get('absent')).toBeUndefined();
    expect(state.get('absent', 0)).toBe(0);
    expect(state.get('present', 0)).toBe(7);
  });

  it('get returns a stored null or undefined instead of the default', async () => {
    const state = createThreadSafeState<{ nothing: null; unset: undefined }>();
    await state.update({ nothing: null, unset: undefined });

    expect(state.get('nothing', 'fallback')).toBeNull();
    expect(state.get('unset', 'fallback')).toBeUndefined();
  });

  it('delete removes a present key and resolves true', async () => {
    const state = createThreadSafeState<{ key: string }>();
    await state.set('key', 'value');

    await expect(state.delete('key')).resolves.toBe(true);
    expect(state.get('key')).toBeUndefined();
    expect(state.has('key')).toBe(false);
  });

  it('delete of an absent key resolves false with no new version and no record', async () => {
    const state = createThreadSafeState<{ key: string; other: string }>();
    await state.set('other', 'x');

    await expect(state.delete('key')).resolves.toBe(false);
    expect(state.getVersion()).toBe(1);
    expect(state.getHistory()).toHaveLength(1);
  });

  it('update sets several keys at once', async () => {
    const state = createThreadSafeState<Record<string, number>>();

    await state.update({ a: 1, b: 2, c: 3 });

    expect(state.get('a')).toBe(1);
    expect(state.get('b')).toBe(2);
    expect(state.get('c')).toBe(3);
  });

  it('update({}) changes nothing and resolves the current version', async () => {
    const state = createThreadSafeState<Record<string, number>>({ initialState: { a: 1 } });
    await state.set('a', 2);

    await expect(state.update({})).resolves.toBe(1);
    expect(state.getVersion()).toBe(1);
    expect(state.getHistory()).toHaveLength(1);
  });

  it('has tells present keys (including ones holding undefined) from absent ones', async () => {
    const state = createThreadSafeState<{ key: string; unset: undefined }>();
    await state.set('key', 'value');
    await state.set('unset', undefined);

    expect(state.has('key')).toBe(true);
    expect(state.has('unset')).toBe(true);
    expect(state.has('nonexistent')).toBe(false);
  });

  it('size counts and keys lists exactly the keys present', async () => {
    const state = createThreadSafeState<Record<string, number>>();
    expect(state.size).toBe(0);
    expect(state.keys()).toEqual([]);

    await state.update({ a: 1, b: 2, c: 3 });
    expect(state.size).toBe(3);

    await state.delete('b');
    expect(state.size).toBe(2);
    expect([...state.keys()].sort()).toEqual(['a', 'c']);
  });

  it('clear removes every key as one version with one "clear" record per key', async () => {
    const state = createThreadSafeState<Record<string, number>>({ initialState: { a: 1, b: 2 } });

    await expect(state.clear({ changedBy: 'agent-reset' })).resolves.toBe(1);

    expect(state.size).toBe(0);
    expect(state.keys()).toEqual([]);
    const records = state.getHistory();
    expect(records.map((r) => r.key).sort()).toEqual(['a', 'b']);
    expect(records.every((r) => r.operation === 'clear' && r.version === 1 && r.changedBy === 'agent-reset')).toBe(true);
  });

  it('clear on an empty state changes nothing and resolves the current version', async () => {
    const state = createThreadSafeState<Record<string, number>>();
    await state.set('a', 1);
    await state.delete('a');

    await expect(state.clear()).resolves.toBe(2);
    expect(state.getVersion()).toBe(2);
    expect(state.getHistory()).toHaveLength(2);
  });

  it('modify runs an atomic read-modify-write and resolves with the new value', async () => {
    const state = createThreadSafeState<{ counter: number; files: string[] }>({ initialState: { files: ['a.ts'] } });

    await expect(state.modify('counter', (n) => n + 1, { default: 0 })).resolves.toBe(1);
    await state.modify('files', (draft) => {
      draft?.push('b.ts');
    });

    expect(state.get('counter')).toBe(1);
    expect(state.get('files')).toEqual(['a.ts', 'b.ts']);
    expect(state.getVersion()).toBe(2);
  });
});
