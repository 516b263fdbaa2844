import { describe, expect, it } from 'vitest';
import type { InspectionEvent } from 'xstate';
import { createThreadSafeState, StateValidationError } from 'concord-state';

describe('guarantees that hold even when the mailbox is busy or the cache is small', () => {
  it('a value is copied when set() is called, even if the command waits in the mailbox', async () => {
    const state = createThreadSafeState<Record<string, { n: number }>>();
    const passed = { n: 1 };
    let queued: Promise<number> | undefined;
    state.subscribe((commit) => {
      if (commit.version !== 1) return;
      // The mailbox is busy with version 1: this set waits in the queue.
      queued = state.set('copy', passed);
      passed.n = 999;
    });
    await state.set('trigger', { n: 0 });
    await queued;
    expect(state.get('copy')).toEqual({ n: 1 });
  });

  it('the facade stamps each write with its clock, so the command carries its own timestamp', async () => {
    const commands: unknown[] = [];
    let now = 1_000;
    const state = createThreadSafeState<Record<string, number>>({
      clock: () => now++,
      inspect: (event: InspectionEvent) => {
        if (event.type === '@xstate.event' && event.event.type === 'state.set') commands.push(event.event);
      },
    });
    await state.set('a', 1);
    await state.set('a', 2);
    expect(commands).toMatchObject([{ timestamp: 1_000 }, { timestamp: 1_001 }]);
    expect(state.getHistory().map((record) => record.timestamp)).toEqual([1_001, 1_000]);
  });

  it('snapshot() is the same object until the next write, whatever time-travel reads push out of a small cache', async () => {
    const state = createThreadSafeState<Record<string, number>>({ snapshotCacheSize: 2 });
    for (let i = 1; i <= 5; i++) await state.set('k', i);
    const current = state.snapshot();
    for (let v = 0; v < 5; v++) state.snapshotAt(v);
    expect(state.snapshot()).toBe(current);
    await state.set('k', 6);
    expect(state.snapshot()).not.toBe(current);
    expect(state.snapshotAt(5)).toEqual(current);
  });
});

describe('smaller edges', () => {
  it('modify on an absent key whose recipe gives nothing makes no version; with a default it stores the default', async () => {
    const state = createThreadSafeState<Record<string, number[]>>();
    expect(await state.modify('list', () => undefined)).toBeUndefined();
    expect(state.getVersion()).toBe(0);
    expect(state.has('list')).toBe(false);
    expect(await state.modify('list', () => undefined, { default: [] })).toEqual([]);
    expect(state.getVersion()).toBe(1);
  });

  it('getHistory refuses a limit that is not a whole number >= 0, and a key that is not a string', async () => {
    const state = createThreadSafeState<Record<string, number>>();
    await state.set('a', 1);
    for (const limit of [1.5, -1, Number.NaN]) expect(() => state.getHistory({ limit })).toThrow(StateValidationError);
    expect(() => state.getHistory({ key: 5 as never })).toThrow(StateValidationError);
    expect(state.getHistory({ limit: 0 })).toEqual([]);
  });

  it('snapshots taken while agents write are each whole: every key of one version (reference: concurrent snapshots)', async () => {
    const keys = Array.from({ length: 100 }, (_, i) => `key_${i}`);
    const state = createThreadSafeState<Record<string, number>>({ initialState: Object.fromEntries(keys.map((k, i) => [k, i])) });
    const snapshots: { version: number; snapshot: Readonly<Record<string, number | undefined>> }[] = [];
    const reader = (async () => {
      for (let i = 0; i < 20; i++) {
        snapshots.push({ version: state.getVersion(), snapshot: state.snapshot() });
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    })();
    const writer = (async () => {
      for (let i = 0; i < 20; i++) {
        await state.update({ [keys[i % 10] as string]: -i, [keys[(i + 50) % 100] as string]: -i });
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    })();
    await Promise.all([reader, writer]);
    expect(new Set(snapshots.map((s) => s.version)).size).toBeGreaterThan(1);
    for (const { version, snapshot } of snapshots) {
      expect(Object.keys(snapshot)).toHaveLength(100);
      expect(snapshot).toEqual(state.snapshotAt(version));
    }
  });
});
