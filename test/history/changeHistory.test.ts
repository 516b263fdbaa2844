import { describe, expect, it } from 'vitest';
import { ChangeHistory } from '../../src/history/changeHistory.ts';
import type { StateChangeRecord } from '../../src/schemas.ts';

const record = (version: number, key: string): StateChangeRecord => ({
  timestamp: 0,
  version,
  key,
  operation: 'set',
  oldValue: undefined,
  newValue: version,
  existedBefore: false,
  existsAfter: true,
  changedBy: null,
});

function historyWith(capacity: number) {
  const evictedAtFloor: number[] = [];
  const history = new ChangeHistory(capacity, (floor) => evictedAtFloor.push(floor));
  return { history, evictedAtFloor };
}

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
    const { history, evictedAtFloor } = historyWith(4);
    history.append([record(1, 'a'), record(1, 'b'), record(1, 'c')], 1);
    history.append([record(2, 'a')], 2);
    history.append([record(3, 'a')], 3);
    // Version 1 had three records; all went, though one would have made room.
    expect(history.newestFirst().map((r) => r.version)).toEqual([3, 2]);
    expect(history.floor).toBe(1);
    expect(evictedAtFloor).toEqual([1, 1, 1]);
  });

  it('keeps none of a version too big to fit, and everything older goes too', () => {
    const { history, evictedAtFloor } = historyWith(2);
    history.append([record(1, 'a')], 1);
    history.append([record(2, 'a'), record(2, 'b'), record(2, 'c')], 2);
    expect(history.size).toBe(0);
    expect(history.floor).toBe(2);
    expect(evictedAtFloor).toEqual([2, 2, 2, 2]);
  });

  it('keysChangedAfter stops at the target version', () => {
    const { history } = historyWith(10);
    history.append([record(1, 'a')], 1);
    history.append([record(2, 'b')], 2);
    history.append([record(3, 'c'), record(3, 'b')], 3);
    expect([...history.keysChangedAfter(1)].sort()).toEqual(['b', 'c']);
    expect([...history.keysChangedAfter(3)]).toEqual([]);
  });

  it('wraps around the ring many times without losing order', () => {
    const { history } = historyWith(7);
    for (let v = 1; v <= 100; v++) history.append([record(v, 'k')], v);
    expect(history.newestFirst().map((r) => r.version)).toEqual([100, 99, 98, 97, 96, 95, 94]);
    expect(history.floor).toBe(93);
  });

  it('dropAll empties it and makes the given version the floor', () => {
    const { history, evictedAtFloor } = historyWith(5);
    history.append([record(1, 'a')], 1);
    history.append([record(2, 'a')], 2);
    history.dropAll(2);
    expect(history.size).toBe(0);
    expect(history.floor).toBe(2);
    expect(evictedAtFloor).toEqual([2, 2]);
  });
});
