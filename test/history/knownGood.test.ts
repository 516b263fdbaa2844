/**
 * Recovery from the reference design: known-good marks, rolling back to the
 * newest one, and keeping only known-good keys; in memory and in a journal
 * alike, the marks surviving a reopen.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createThreadSafeState, openThreadSafeState, StateRollbackError, type ThreadSafeState } from 'concord-state';

type Shape = Record<string, unknown>;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const kinds: [string, () => Promise<ThreadSafeState<Shape>>][] = [
  ['in memory', () => Promise.resolve(createThreadSafeState<Shape>({ clock: () => 1_000 }))],
  [
    'in a journal',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'concord-known-good-'));
      const state = await openThreadSafeState<Shape>({ dir, clock: () => 1_000 });
      cleanups.push(async () => {
        await state.close();
        rmSync(dir, { recursive: true, force: true });
      });
      return state;
    },
  ],
];

describe.each(kinds)('known-good recovery, %s', (_kind, make) => {
  it('marks the current version without making one, and lists the marks in the window', async () => {
    const state = await make();
    await state.set('a', 1);
    expect(await state.markKnownGood('after a')).toBe(1);
    expect(await state.markKnownGood()).toBe(1);
    expect(state.getVersion()).toBe(1);
    expect(state.getKnownGoodMarks()).toEqual([
      { version: 1, label: 'after a', timestamp: 1_000 },
      { version: 1, label: null, timestamp: 1_000 },
    ]);
  });

  it('rolls back to the newest mark as a new version, and to nothing new when already there', async () => {
    const state = await make();
    await state.set('a', 1);
    await state.markKnownGood('good');
    await state.set('a', 2);
    await state.set('b', 'bad', { changedBy: 'agent-x' });
    expect(await state.rollbackToLastKnownGood({ changedBy: 'ops' })).toBe(4);
    expect({ ...state.snapshot() }).toEqual({ a: 1 });
    expect(state.getHistory({ limit: 2 }).map(({ operation, changedBy }) => ({ operation, changedBy }))).toEqual([
      { operation: 'rollback', changedBy: 'ops' },
      { operation: 'rollback', changedBy: 'ops' },
    ]);
    await state.markKnownGood('again');
    expect(await state.rollbackToLastKnownGood()).toBe(4);
    expect(state.getVersion()).toBe(4);
  });

  it('refuses with StateRollbackError when no mark is in the window, and changes nothing', async () => {
    const state = await make();
    await state.set('a', 1);
    await expect(state.rollbackToLastKnownGood()).rejects.toBeInstanceOf(StateRollbackError);
    await state.markKnownGood();
    await state.clearHistory();
    await state.set('a', 2);
    // The mark is at the floor: still reachable after clearHistory.
    expect(await state.rollbackToLastKnownGood()).toBe(3);
    expect(state.get('a')).toBe(1);
  });

  it('keeps only the known-good keys as one version, with a delete record for each key removed', async () => {
    const state = await make();
    await state.update({ good: 1, alsoGood: 2, corrupt: 'x', junk: [] });
    expect(await state.recoverFromCorruptedState(['good', 'alsoGood', 'neverSet'], { changedBy: 'recovery' })).toBe(2);
    expect({ ...state.snapshot() }).toEqual({ good: 1, alsoGood: 2 });
    expect(
      state
        .getHistory({ limit: 5 })
        .filter((record) => record.version === 2)
        .map(({ key, operation }) => ({ key, operation }))
        .sort((x, y) => x.key.localeCompare(y.key)),
    ).toEqual([
      { key: 'corrupt', operation: 'delete' },
      { key: 'junk', operation: 'delete' },
    ]);
    expect(await state.recoverFromCorruptedState(['good', 'alsoGood'])).toBe(2);
    expect(state.getVersion()).toBe(2);
  });
});

describe('known-good marks and the history window', () => {
  it('drops a mark once its version has left the window', async () => {
    const state = createThreadSafeState<Shape>({ maxHistorySize: 2 });
    await state.set('a', 1);
    await state.markKnownGood();
    for (let i = 2; i <= 4; i++) await state.set('a', i);
    expect(state.getKnownGoodMarks()).toEqual([]);
    await expect(state.rollbackToLastKnownGood()).rejects.toBeInstanceOf(StateRollbackError);
    expect(state.getVersion()).toBe(4);
  });
});

describe('known-good marks in a journal', () => {
  it('survive a reopen, from the records and from a snapshot', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'concord-known-good-'));
    try {
      const first = await openThreadSafeState<Shape>({ dir, snapshotEvery: 3 });
      await first.set('a', 1);
      await first.markKnownGood('one');
      for (let i = 2; i <= 5; i++) await first.set('a', i);
      await first.markKnownGood('five');
      await first.close();
      const second = await openThreadSafeState<Shape>({ dir });
      expect(second.getKnownGoodMarks().map(({ version, label }) => ({ version, label }))).toEqual([
        { version: 1, label: 'one' },
        { version: 5, label: 'five' },
      ]);
      await second.set('a', 6);
      expect(await second.rollbackToLastKnownGood()).toBe(7);
      expect(second.get('a')).toBe(5);
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
