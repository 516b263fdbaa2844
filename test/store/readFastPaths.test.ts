/** The reads that skip work when they can: the newest snapshot while no write comes, a primitive with no copy, the facade's reply channel. */
import { describe, expect, it } from 'vitest';
import { createThreadSafeState, StateValidationError } from 'concord-state';
import { deliverTo, isReplyChannel, openReplyChannel, ReplyChannel } from '../../src/client/replyChannel.ts';
import { ChangeHistory } from '../../src/history/changeHistory.ts';
import type { StateChangeRecord } from '../../src/schemas.ts';
import { ABSENT } from '../../src/store/versionedStore.ts';

describe('snapshot() of the newest version', () => {
  it('is the same object until a write, then a new one, whatever time-travel reads came between; every call counted', async () => {
    const state = createThreadSafeState<Record<string, number>>({ initialState: { a: 1 } });
    await state.set('a', 2);
    const first = state.snapshot();
    expect(state.snapshotAt(0)).toEqual({ a: 1 });
    expect(state.snapshot()).toBe(first);
    await state.set('a', 3);
    const second = state.snapshot();
    expect(second).not.toBe(first);
    expect(second).toEqual({ a: 3 });
    expect(state.snapshotAt(1)).toBe(first);
    const { snapshotCount, cacheHits, cacheMisses } = state.getMetrics();
    // Misses: first, second, version 0; hits: the repeat and version 1 kept from when it was newest.
    expect({ snapshotCount, cacheHits, cacheMisses }).toEqual({ snapshotCount: 5, cacheHits: 2, cacheMisses: 3 });
  });

  it('with snapshots not cached, builds one each time', async () => {
    const state = createThreadSafeState<Record<string, number>>({ initialState: { a: 1 }, enableSnapshots: false });
    await state.set('a', 2);
    expect(state.snapshot()).not.toBe(state.snapshot());
    expect(state.getMetrics()).toMatchObject({ snapshotCount: 2, cacheHits: 0, cacheMisses: 2 });
  });
});

describe('get()', () => {
  it('returns primitives as stored, the default for an absent key, and a mutable copy of an object', () => {
    const state = createThreadSafeState<Record<string, unknown>>({ initialState: { n: 1, s: 'x', nothing: null, gone: undefined, o: { deep: [1] } } });
    expect([state.get('n'), state.get('s'), state.get('nothing'), state.get('gone', 'default'), state.get('absent', 'default')]).toEqual([
      1,
      'x',
      null,
      undefined,
      'default',
    ]);
    const copy = state.get('o') as { deep: number[] };
    copy.deep.push(2);
    expect(state.get('o')).toEqual({ deep: [1] });
  });

  it('refuses a key that is not a non-empty string with StateValidationError, on every read of a key, and does not count it', () => {
    const state = createThreadSafeState<Record<string, number>>({ initialState: { a: 1 } });
    const refused = ['', 42, {}, null, undefined, Symbol('k')] as unknown as string[];
    for (const key of refused) {
      expect(() => state.get(key, 0)).toThrow(StateValidationError);
      expect(() => state.getRequired(key)).toThrow(StateValidationError);
      expect(() => state.getWithFallback(key, ['a'], 0)).toThrow(StateValidationError);
    }
    expect(state.get('a')).toBe(1);
    expect(state.getMetrics().getCount).toBe(1);
  });
});

describe('the facade reply channel', () => {
  it('hands each answer to its receiver, is recognised only when openReplyChannel made it, and cannot be made anew', () => {
    const answers: unknown[] = [];
    const channel = openReplyChannel((requestId, outcome) => answers.push([requestId, outcome]));
    deliverTo(channel, 'r1', { ok: true, result: 7 });
    expect(answers).toEqual([['r1', { ok: true, result: 7 }]]);
    expect(isReplyChannel(channel)).toBe(true);
    expect(isReplyChannel(Object.create(ReplyChannel.prototype))).toBe(false);
    expect(() => new ReplyChannel(() => undefined)).toThrow(TypeError);
    expect(Object.isFrozen(channel) && Object.isFrozen(ReplyChannel) && Object.isFrozen(ReplyChannel.prototype)).toBe(true);
  });
});

describe('the history ring', () => {
  it('wraps around its capacity many times over and still holds the newest records in order', () => {
    const history = new ChangeHistory(3);
    const record = (version: number): StateChangeRecord => ({
      timestamp: 0,
      version,
      key: `k${version % 2}`,
      operation: 'set',
      oldValue: undefined,
      newValue: version,
      existedBefore: false,
      existsAfter: true,
      changedBy: null,
    });
    for (let version = 1; version <= 10; version++) history.append([record(version)], version);
    expect(history.newestFirst().map((r) => r.version)).toEqual([10, 9, 8]);
    expect(history.floor).toBe(7);
    expect([...history.valuesAt(8)]).toEqual([
      ['k0', ABSENT],
      ['k1', ABSENT],
    ]);
  });
});
