import { describe, expect, it } from 'vitest';
import { ChangeHistory } from '../../src/history/changeHistory.ts';
import { ABSENT } from '../../src/store/versionedStore.ts';
import type { StateChangeRecord } from '../../src/schemas.ts';

const record = (version: number, key: string, oldValue?: number): StateChangeRecord => ({
  timestamp: 0,
  version,
  key,
  operation: 'set',
  oldValue,
  newValue: version,
  existedBefore: oldValue !== undefined,
  existsAfter: true,
  changedBy: null,
});

const historyWith = (capacity: number) => ({ history: new ChangeHistory(capacity) });

describe('ChangeHistory', () => {
  it('returns records newest first, filtered by key and limited', () => {
    const { history } = historyWith(10);
    history.append([record(1, 'a')], 1);
    history.append([record(2, 'b'), record(2, 'a')], 2);
    history.append([record(3, 'a')], 3);
    expect(history.newestFirst().map((r) => `${r.version}${r.key}`)).toEqual(['3a', '2a', '2b', '1a']);
    expect(history.newestFirst('a', 2).map((r) => r.version)).toEqual([3, 2]);
    expect(history.newestFirst(undefined, 0)).toEqual([]);
  });

  it('drops whole versions, oldest first, and raises the floor to the dropped version', () => {
    const { history } = historyWith(4);
    history.append([record(1, 'a'), record(1, 'b'), record(1, 'c')], 1);
    history.append([record(2, 'a')], 2);
    history.append([record(3, 'a')], 3);
    // Version 1 had three records; all went, though one would have made room.
    expect(history.newestFirst().map((r) => r.version)).toEqual([3, 2]);
    expect(history.floor).toBe(1);
  });

  it('keeps none of a version too big to fit, and everything older goes too', () => {
    const { history } = historyWith(2);
    history.append([record(1, 'a')], 1);
    history.append([record(2, 'a'), record(2, 'b'), record(2, 'c')], 2);
    expect(history.size).toBe(0);
    expect(history.floor).toBe(2);
  });

  it('valuesAt gives each key changed after the target its value at the target, from the oldest record after it', () => {
    const { history } = historyWith(10);
    history.append([record(1, 'a')], 1);
    history.append([record(2, 'b')], 2);
    history.append([record(3, 'c', 30), record(3, 'b', 2)], 3);
    history.append([record(4, 'c', 3)], 4);
    expect(history.valuesAt(1)).toEqual(
      new Map<string, unknown>([
        ['c', 30],
        ['b', ABSENT],
      ]),
    );
    expect(history.valuesAt(2)).toEqual(
      new Map<string, unknown>([
        ['c', 30],
        ['b', 2],
      ]),
    );
    expect(history.valuesAt(4)).toEqual(new Map());
  });

  it('wraps around the ring many times without losing order', () => {
    const { history } = historyWith(7);
    for (let v = 1; v <= 100; v++) history.append([record(v, 'k')], v);
    expect(history.newestFirst().map((r) => r.version)).toEqual([100, 99, 98, 97, 96, 95, 94]);
    expect(history.floor).toBe(93);
  });

  it('dropAll empties it and makes the given version the floor', () => {
    const { history } = historyWith(5);
    history.append([record(1, 'a')], 1);
    history.append([record(2, 'a')], 2);
    history.dropAll(2);
    expect(history.size).toBe(0);
    expect(history.floor).toBe(2);
  });
});
