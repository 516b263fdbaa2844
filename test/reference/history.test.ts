import { describe, expect, it } from 'vitest';
import { createThreadSafeState, StateRollbackError, type StateChangeRecord } from 'concord-state';
import { manualClock } from './helpers.ts';

const versionsOf = (records: readonly StateChangeRecord[]) => records.map((r) => r.version);

describe('change history (reference: TestThreadSafeStateHistory)', () => {
  it('records every change, newest first, with who made it', async () => {
    const state = createThreadSafeState<{ counter: number }>({ maxHistorySize: 100 });

    await state.set('counter', 1, { changedBy: 'agent-1' });
    await state.set('counter', 2, { changedBy: 'agent-2' });

    const history = state.getHistory();
    expect(history).toHaveLength(2);
    expect(history[0]?.changedBy).toBe('agent-2');
    expect(history[1]?.changedBy).toBe('agent-1');
    expect(versionsOf(history)).toEqual([2, 1]);
  });

  it('filters by key', async () => {
    const state = createThreadSafeState<{ counter: number; status: string }>();
    await state.set('counter', 1);
    await state.set('status', 'active');
    await state.set('counter', 2);

    const counterHistory = state.getHistory({ key: 'counter' });

    expect(counterHistory).toHaveLength(2);
    expect(counterHistory.every((r) => r.key === 'counter')).toBe(true);
    expect(counterHistory.map((r) => r.newValue)).toEqual([2, 1]);
  });

  it('limit returns the newest records only, after filtering by key', async () => {
    const state = createThreadSafeState<{ a: number; b: number }>();
    await state.set('a', 1);
    await state.set('a', 2);
    await state.set('b', 1);
    await state.set('a', 3);

    expect(versionsOf(state.getHistory({ limit: 2 }))).toEqual([4, 3]);
    expect(state.getHistory({ key: 'a', limit: 2 }).map((r) => r.newValue)).toEqual([3, 2]);
    expect(state.getHistory({ limit: 0 })).toEqual([]);
  });

  it('a record holds version, key, operation, old and new value, changedBy and the clock timestamp', async () => {
    const time = manualClock(1_000);
    const state = createThreadSafeState<{ status: string }>({ clock: time.clock, initialState: { status: 'idle' } });

    time.set(5_000);
    await state.set('status', 'busy', { changedBy: 'agent-7' });

    expect(state.getHistory()).toEqual([
      {
        timestamp: 5_000,
        version: 1,
        key: 'status',
        operation: 'set',
        oldValue: 'idle',
        newValue: 'busy',
        existedBefore: true,
        existsAfter: true,
        changedBy: 'agent-7',
      },
    ]);
  });

  it('records a delete with operation "delete" and the value it removed', async () => {
    const state = createThreadSafeState<{ temp: string }>({ initialState: { temp: 'data' } });

    await state.delete('temp', { changedBy: 'agent-cleanup' });

    expect(state.getHistory()[0]).toMatchObject({
      version: 1,
      key: 'temp',
      operation: 'delete',
      oldValue: 'data',
      newValue: undefined,
      existedBefore: true,
      existsAfter: false,
      changedBy: 'agent-cleanup',
    });
  });

  it('existedBefore and existsAfter tell an absent key from one holding null or undefined', async () => {
    const state = createThreadSafeState<{ nothing: null; unset: undefined }>();
    await state.set('nothing', null);
    await state.set('unset', undefined);
    await state.delete('unset');

    const [deleted, setUndefined, setNull] = state.getHistory();
    expect(setNull).toMatchObject({ key: 'nothing', existedBefore: false, existsAfter: true, newValue: null });
    expect(setUndefined).toMatchObject({ key: 'unset', existedBefore: false, existsAfter: true });
    expect(deleted).toMatchObject({ key: 'unset', existedBefore: true, existsAfter: false });
  });

  it('timestamps come from the clock when each write is applied; changedBy is null when not given', async () => {
    const time = manualClock(1_000);
    const state = createThreadSafeState<Record<string, number>>({ clock: time.clock });

    await state.set('a', 1);
    time.set(2_500);
    await state.update({ b: 2, c: 3 });

    expect(state.getHistory().map((r) => r.timestamp)).toEqual([2_500, 2_500, 1_000]);
    expect(state.getHistory().map((r) => r.changedBy)).toEqual([null, null, null]);
  });

  it('keeps at most maxHistorySize records, dropping the oldest', async () => {
    const state = createThreadSafeState<Record<string, number>>({ maxHistorySize: 10 });

    for (let i = 0; i < 20; i++) await state.set(`key_${i}`, i);

    const history = state.getHistory();
    expect(history).toHaveLength(10);
    expect(versionsOf(history)).toEqual([20, 19, 18, 17, 16, 15, 14, 13, 12, 11]);
  });

  it('drops whole versions: the records of a multi-key update go together', async () => {
    const state = createThreadSafeState<Record<string, number>>({ maxHistorySize: 5 });
    await state.set('x', 0); // v1: 1 record
    await state.update({ a: 1, b: 2, c: 3 }); // v2: 3 records
    await state.set('y', 1); // v3: 5 records in all
    await state.set('z', 1); // v4: v1 dropped

    expect(versionsOf(state.getHistory())).toEqual([4, 3, 2, 2, 2]);

    await state.set('w', 1); // v5: 6 would not fit, so all of v2 goes

    expect(versionsOf(state.getHistory())).toEqual([5, 4, 3]);
    await expect(state.rollback(1)).rejects.toMatchObject({ name: 'StateRollbackError', targetVersion: 1, oldestVersion: 2 });
    await expect(state.rollback(2)).resolves.toBe(6);
    expect(state.has('w')).toBe(false);
    expect(state.get('c')).toBe(3);
  });

  it('never holds part of a version, whatever mix of writes evicts it', async () => {
    const state = createThreadSafeState<Record<string, number>>({ maxHistorySize: 5 });
    const recordsPerVersion = new Map<number, number>();

    for (let i = 0; i < 12; i++) {
      const version = i % 3 === 0 ? await state.update({ [`a${i}`]: i, [`b${i}`]: i, [`c${i}`]: i }) : await state.set(`s${i}`, i);
      recordsPerVersion.set(version, i % 3 === 0 ? 3 : 1);

      const history = state.getHistory();
      expect(history.length).toBeLessThanOrEqual(5);
      for (const kept of new Set(versionsOf(history))) {
        expect(history.filter((r) => r.version === kept)).toHaveLength(recordsPerVersion.get(kept) ?? -1);
      }
    }
  });

  it('a write with more records than maxHistorySize is kept not at all and makes earlier versions unreachable', async () => {
    const state = createThreadSafeState<Record<string, number>>({ maxHistorySize: 2 });
    await state.set('a', 1);

    await state.update({ a: 2, b: 2, c: 2 });

    expect(state.getHistory()).toEqual([]);
    await expect(state.rollback(1)).rejects.toBeInstanceOf(StateRollbackError);
    expect(state.get('a')).toBe(2);
  });

  it('clearHistory drops every record and makes every earlier version unreachable', async () => {
    const state = createThreadSafeState<{ counter: number }>();
    await state.set('counter', 1);
    await state.set('counter', 2);

    await state.clearHistory();

    expect(state.getHistory()).toEqual([]);
    expect(state.getVersion()).toBe(2);
    expect(state.get('counter')).toBe(2);
    for (const target of [0, 1]) {
      await expect(state.rollback(target)).rejects.toMatchObject({ name: 'StateRollbackError', targetVersion: target, oldestVersion: 2 });
      expect(() => state.snapshotAt(target)).toThrow(StateRollbackError);
    }
  });

  it('after clearHistory, later writes are recorded and the version it was cleared at can be rolled back to', async () => {
    const state = createThreadSafeState<{ counter: number }>();
    await state.set('counter', 1);
    await state.clearHistory();
    await state.set('counter', 2);

    expect(versionsOf(state.getHistory())).toEqual([2]);
    await state.rollback(1);
    expect(state.get('counter')).toBe(1);
  });
});
