import { describe, expect, it } from 'vitest';
import { ABSENT, VersionedStore } from '../../src/store/versionedStore.ts';

describe('VersionedStore', () => {
  it('reads every key at every version still held', () => {
    const store = new VersionedStore();
    store.write('a', 0, 'a0');
    store.write('a', 2, 'a2');
    store.write('b', 3, 'b3');
    store.write('a', 4, ABSENT);
    expect([0, 1, 2, 3, 4].map((v) => store.at('a', v))).toEqual(['a0', 'a0', 'a2', 'a2', ABSENT]);
    expect([2, 3].map((v) => store.at('b', v))).toEqual([ABSENT, 'b3']);
    expect(store.latest('a')).toBe(ABSENT);
    expect(store.keys()).toEqual(['b']);
    expect(store.size).toBe(1);
  });

  it('write returns the value it replaces, ABSENT for a new key', () => {
    const store = new VersionedStore();
    expect(store.write('k', 1, 1)).toBe(ABSENT);
    expect(store.write('k', 2, null)).toBe(1);
    expect(store.write('k', 3, undefined)).toBe(null);
    expect(store.write('k', 4, ABSENT)).toBe(undefined);
  });

  it('releasing writes keeps what versions at or above the floor can see, and nothing older', () => {
    const store = new VersionedStore();
    for (let v = 1; v <= 10; v++) store.write('k', v, v * 10);
    for (let v = 1; v <= 6; v++) store.releaseOldestWrite(v);
    expect(store.at('k', 6)).toBe(60);
    expect(store.at('k', 10)).toBe(100);
    // Version 5 is below the floor: its entry is gone, so the oldest entry answers.
    expect(store.at('k', 5)).toBe(ABSENT);
  });

  it('forgets a deleted key once its deletion falls out of the window', () => {
    const store = new VersionedStore();
    store.write('gone', 1, 'x');
    store.write('gone', 2, ABSENT);
    store.releaseOldestWrite(1);
    expect(store.objectAt(2)).toEqual({});
    store.releaseOldestWrite(2);
    expect(store.keys()).toEqual([]);
    store.write('gone', 3, 'back');
    expect(store.latest('gone')).toBe('back');
    expect(store.at('gone', 2)).toBe(ABSENT);
  });

  it('stays correct across many compactions of a hot key', () => {
    const store = new VersionedStore();
    const window = 50;
    for (let v = 1; v <= 5000; v++) {
      store.write('hot', v, v);
      if (v > window) store.releaseOldestWrite(v - window);
    }
    for (let v = 5000 - window; v <= 5000; v++) expect(store.at('hot', v)).toBe(v);
  });

  it('objectAt builds a null-prototype object where __proto__ is an ordinary key', () => {
    const store = new VersionedStore();
    store.write('__proto__', 0, { polluted: true });
    store.write('constructor', 0, 1);
    const object = store.objectAt(0);
    expect(Object.getPrototypeOf(object)).toBe(null);
    expect(Object.keys(object)).toEqual(['__proto__', 'constructor']);
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });
});
