import { describe, expect, it } from 'vitest';
import type { InspectionEvent } from 'xstate';
import { createThreadSafeState } from 'concord';

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
