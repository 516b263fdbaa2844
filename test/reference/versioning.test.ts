import { describe, expect, it } from 'vitest';
import { createThreadSafeState, StateRollbackError, StateVersionError, ThreadSafeStateError } from 'concord-state';
import { plain, rejectionOf } from './helpers.ts';

describe('versioning (reference: TestThreadSafeStateVersioning)', () => {
  it('starts at version 0 and each set adds 1', async () => {
    const state = createThreadSafeState<{ key: number }>();
    expect(state.getVersion()).toBe(0);

    await state.set('key', 1);
    expect(state.getVersion()).toBe(1);

    await state.set('key', 2);
    expect(state.getVersion()).toBe(2);
  });

  it('an update of many keys adds exactly 1 version with one record per key', async () => {
    const state = createThreadSafeState<Record<string, number>>();

    await expect(state.update({ a: 1, b: 2, c: 3 })).resolves.toBe(1);

    expect(state.getVersion()).toBe(1);
    const records = state.getHistory();
    expect(records.map((r) => r.key).sort()).toEqual(['a', 'b', 'c']);
    expect(records.every((r) => r.version === 1 && r.operation === 'update')).toBe(true);
  });

  it('every kind of applied write (set, update, delete, clear, modify, rollback) adds exactly 1 version', async () => {
    const state = createThreadSafeState<{ a: number; b: number }>();

    expect(await state.set('a', 1)).toBe(1);
    expect(await state.update({ a: 2, b: 2 })).toBe(2);
    expect(await state.delete('b')).toBe(true);
    expect(state.getVersion()).toBe(3);
    await state.modify('a', (n) => n + 1, { default: 0 });
    expect(state.getVersion()).toBe(4);
    expect(await state.clear()).toBe(5);
    expect(await state.rollback(4)).toBe(6);
  });

  it('rejected commands add no version and no record', async () => {
    const state = createThreadSafeState<Record<string, unknown>>();
    await state.set('a', 1);

    await rejectionOf(state.set('a', 2, { expectedVersion: 0 }));
    await rejectionOf(state.set('f', () => 'functions cannot be stored'));
    await rejectionOf(state.rollback(5));
    await rejectionOf(
      state.modify('a', () => {
        throw new Error('recipe failed');
      }),
    );

    expect(state.getVersion()).toBe(1);
    expect(state.getHistory()).toHaveLength(1);
    expect(state.get('a')).toBe(1);
  });

  it('rollback restores the content of an earlier version as a new version', async () => {
    const state = createThreadSafeState<{ counter: number }>();
    await state.set('counter', 1);
    await state.set('counter', 2);
    await state.set('counter', 3);

    await expect(state.rollback(1)).resolves.toBe(4);

    expect(state.get('counter')).toBe(1);
    expect(state.getVersion()).toBe(4);
    expect(state.getHistory({ limit: 1 })[0]?.operation).toBe('rollback');
  });

  it('rollback records every key changed since the target, with operation "rollback", and no key left alone', async () => {
    const state = createThreadSafeState<Record<string, number>>({ initialState: { a: 1, b: 2, c: 3 } });
    await state.set('a', 10);
    await state.set('b', 20);
    await state.set('b', 2);

    await state.rollback(0, { changedBy: 'agent-undo' });

    const records = state.getHistory().filter((r) => r.version === 4);
    expect(records.map((r) => r.key).sort()).toEqual(['a', 'b']);
    expect(records.find((r) => r.key === 'a')).toMatchObject({ operation: 'rollback', oldValue: 10, newValue: 1, changedBy: 'agent-undo' });
    // b is back to its old value already: still recorded, so the history says who rolled it back.
    expect(records.find((r) => r.key === 'b')).toMatchObject({ operation: 'rollback', oldValue: 2, newValue: 2 });
  });

  it('rollback to version 0 restores the initial state: keys created later are removed, keys deleted later come back', async () => {
    const state = createThreadSafeState<Record<string, string>>({ initialState: { keep: 'k', doomed: 'd' } });
    await state.set('created', 'new');
    await state.delete('doomed');

    await state.rollback(0);

    expect(state.has('created')).toBe(false);
    expect(state.get('doomed')).toBe('d');
    expect(plain(state.snapshot())).toStrictEqual({ keep: 'k', doomed: 'd' });
    const records = state.getHistory({ limit: 2 });
    expect(records.find((r) => r.key === 'created')).toMatchObject({ existedBefore: true, existsAfter: false });
    expect(records.find((r) => r.key === 'doomed')).toMatchObject({ existedBefore: false, existsAfter: true });
  });

  it('rollback restores nested values exactly', async () => {
    const doc = { meta: { owner: 'agent-1', tags: ['x', 'y'] }, items: [{ id: 1, done: false }] };
    const state = createThreadSafeState<{ doc: typeof doc }>({ initialState: { doc } });
    await state.modify(
      'doc',
      (draft) => {
        draft.meta.tags.push('z');
        draft.items[0]!.done = true;
      },
      { default: doc },
    );
    await state.set('doc', { meta: { owner: 'agent-2', tags: [] }, items: [] });

    await state.rollback(0);

    expect(state.get('doc')).toEqual(doc);
  });

  it('rollback restores a key that held null or undefined instead of deleting it', async () => {
    const state = createThreadSafeState<{ nothing: number | null; unset: number | undefined }>();
    await state.update({ nothing: null, unset: undefined });
    await state.update({ nothing: 1, unset: 2 });

    await state.rollback(1);

    expect(state.has('nothing')).toBe(true);
    expect(state.get('nothing', 'absent')).toBeNull();
    expect(state.has('unset')).toBe(true);
    expect(state.get('unset', 'absent')).toBeUndefined();
    expect(state.size).toBe(2);
  });

  it('rollback is exact for every earlier version across set, update, delete, clear, modify and earlier rollbacks', async () => {
    interface Shape {
      keep: string;
      doc: { list: number[] };
      nothing: number | null;
      unset: string | undefined;
      n: number;
      extra: number[];
    }
    const state = createThreadSafeState<Shape>({ initialState: { keep: 'k' } });
    const expected: Record<string, unknown>[] = [plain(state.snapshot())];
    const step = async (write: () => Promise<unknown>) => {
      await write();
      expected[state.getVersion()] = plain(state.snapshot());
    };

    await step(() => state.set('doc', { list: [1, 2] }));
    await step(() => state.update({ nothing: null, unset: undefined, n: 4 }));
    await step(() => state.delete('n'));
    await step(() =>
      state.modify(
        'doc',
        (draft) => {
          draft.list.push(3);
        },
        { default: { list: [] } },
      ),
    );
    await step(() => state.set('nothing', 7));
    await step(() => state.clear());
    await step(() => state.set('extra', [1]));
    await step(() => state.rollback(4));
    await step(() => state.set('doc', { list: [] }));
    await step(() => state.rollback(8));
    await step(() => state.set('unset', 'now set'));
    const last = state.getVersion();
    expect(last).toBe(11);

    for (let version = 0; version < last; version++) {
      await state.rollback(version);
      expect(plain(state.snapshot())).toStrictEqual(expected[version]);
    }
  });

  it('rollback to the current or a future version rejects with StateVersionError', async () => {
    const state = createThreadSafeState<{ counter: number }>();
    await state.set('counter', 1);

    for (const target of [1, 10]) {
      const error = await rejectionOf(state.rollback(target));
      expect(error).toBeInstanceOf(StateVersionError);
      expect(error).toMatchObject({ name: 'StateVersionError', currentVersion: 1, targetVersion: target });
    }
    expect(state.get('counter')).toBe(1);
  });

  it('rollback to a negative version, or any rollback of a fresh state, rejects with StateVersionError', async () => {
    const state = createThreadSafeState<{ counter: number }>();

    await expect(state.rollback(0)).rejects.toMatchObject({ name: 'StateVersionError', currentVersion: 0, targetVersion: 0 });
    await state.set('counter', 1);
    const error = await rejectionOf(state.rollback(-1));

    expect(error).toBeInstanceOf(StateVersionError);
    expect(error).toMatchObject({ currentVersion: 1, targetVersion: -1 });
    expect(state.getVersion()).toBe(1);
  });

  it('rollback past the history window rejects with StateRollbackError; the oldest version in it still works', async () => {
    const state = createThreadSafeState<{ counter: number }>({ maxHistorySize: 5 });
    for (let i = 1; i <= 20; i++) await state.set('counter', i);

    for (const target of [1, 14]) {
      const error = await rejectionOf(state.rollback(target));
      expect(error).toBeInstanceOf(StateRollbackError);
      expect(error).toBeInstanceOf(ThreadSafeStateError);
      expect(error).toMatchObject({ name: 'StateRollbackError', targetVersion: target, oldestVersion: 15 });
    }
    expect(state.get('counter')).toBe(20);
    expect(state.getVersion()).toBe(20);

    await expect(state.rollback(15)).resolves.toBe(21);
    expect(state.get('counter')).toBe(15);
  });
});
