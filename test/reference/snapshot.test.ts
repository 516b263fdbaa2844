import { describe, expect, it } from 'vitest';
import { createThreadSafeState, StateRollbackError, StateVersionError } from 'concord-state';
import { plain } from './helpers.ts';

describe('snapshots (reference: TestThreadSafeStateSnapshot)', () => {
  it('a snapshot does not change when the state changes afterwards', async () => {
    const state = createThreadSafeState<{ counter: number; list: number[] }>();
    await state.update({ counter: 1, list: [1] });
    const snapshot = state.snapshot();

    await state.set('counter', 2);
    await state.modify('list', (draft) => {
      draft?.push(2);
    });
    await state.clear();

    expect(snapshot.counter).toBe(1);
    expect(snapshot.list).toEqual([1]);
    expect(state.get('counter')).toBeUndefined();
  });

  it('a snapshot is deep-frozen with a null prototype', async () => {
    const state = createThreadSafeState<{ config: { nested: { items: number[] } } }>();
    await state.set('config', { nested: { items: [1, 2] } });

    const snapshot = state.snapshot();
    const writable = snapshot as unknown as { config: { nested: { items: number[] } }; other?: number };

    expect(Object.getPrototypeOf(snapshot)).toBeNull();
    expect(Object.isFrozen(snapshot)).toBe(true);
    expect(Object.isFrozen(writable.config.nested)).toBe(true);
    expect(() => {
      writable.other = 1;
    }).toThrow(TypeError);
    expect(() => {
      writable.config.nested.items.push(3);
    }).toThrow(TypeError);
    expect(state.get('config')).toEqual({ nested: { items: [1, 2] } });
  });

  it('returns the same cached object until the next write, counting cache hits', async () => {
    const state = createThreadSafeState<{ counter: number }>();
    await state.set('counter', 1);

    const first = state.snapshot();
    const second = state.snapshot();

    expect(second).toBe(first);
    expect(state.getMetrics().cacheHits).toBe(1);
    expect(state.getMetrics().cacheMisses).toBe(1);
  });

  it('returns a new object after a write, but not after a rejected or no-op command', async () => {
    const state = createThreadSafeState<{ counter: number; gone: number }>();
    await state.set('counter', 1);
    const before = state.snapshot();

    await expect(state.rollback(7)).rejects.toBeInstanceOf(StateVersionError);
    await state.delete('gone');
    await state.update({});
    expect(state.snapshot()).toBe(before);

    await state.set('counter', 2);
    const after = state.snapshot();
    expect(after).not.toBe(before);
    expect(after.counter).toBe(2);
  });

  it('includes keys that hold null or undefined', async () => {
    const state = createThreadSafeState<{ nothing: null; unset: undefined }>();
    await state.update({ nothing: null, unset: undefined });

    expect(plain(state.snapshot())).toStrictEqual({ nothing: null, unset: undefined });
  });

  it('with enableSnapshots false every snapshot is a new object with the same content', async () => {
    const state = createThreadSafeState<{ counter: number }>({ enableSnapshots: false, initialState: { counter: 1 } });

    const first = state.snapshot();
    const second = state.snapshot();

    expect(second).not.toBe(first);
    expect(plain(second)).toStrictEqual(plain(first));
    expect(Object.isFrozen(second)).toBe(true);
    expect(state.getMetrics()).toMatchObject({ cacheHits: 0, cacheMisses: 2 });
  });

  it('snapshotAt(version) equals what snapshot() returned at that version, for every version in the window', async () => {
    const state = createThreadSafeState<Record<string, number>>({ initialState: { base: 0 } });
    const seen: Record<string, unknown>[] = [plain(state.snapshot())];

    for (let i = 1; i <= 24; i++) {
      if (i % 5 === 0) await state.delete(`k${i - 1}`);
      else if (i % 7 === 0) await state.update({ base: i, [`k${i}`]: i });
      else await state.set(`k${i}`, i);
      seen[state.getVersion()] = plain(state.snapshot());
    }

    for (let version = 0; version <= state.getVersion(); version++) {
      expect(plain(state.snapshotAt(version))).toStrictEqual(seen[version]);
    }
  });

  it('snapshotAt of the current version is the current snapshot', async () => {
    const state = createThreadSafeState<{ counter: number }>();
    await state.set('counter', 1);

    expect(state.snapshotAt(1)).toBe(state.snapshot());
  });

  it('snapshotAt errors like rollback: StateVersionError for a future or negative version, StateRollbackError outside the window', async () => {
    const state = createThreadSafeState<{ counter: number }>({ maxHistorySize: 3 });
    for (let i = 1; i <= 6; i++) await state.set('counter', i);

    expect(() => state.snapshotAt(7)).toThrow(StateVersionError);
    expect(() => state.snapshotAt(-1)).toThrow(StateVersionError);
    expect(() => state.snapshotAt(2)).toThrow(StateRollbackError);
    expect(state.snapshotAt(3).counter).toBe(3);
  });
});
