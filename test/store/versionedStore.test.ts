import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ABSENT, VersionedStore } from '../../src/store/versionedStore.ts';

const KEYS = ['a', 'b', 'c', 'd'];
const write = fc.record({ key: fc.constantFrom(...KEYS), value: fc.oneof(fc.integer(), fc.constant(undefined), fc.constant(ABSENT)) });

describe('VersionedStore', () => {
  it('holds the newest value of every key; a delete removes the key', () => {
    const store = new VersionedStore();
    store.write('a', 0, 'a0');
    store.write('a', 2, 'a2');
    store.write('b', 3, 'b3');
    store.write('a', 4, ABSENT);
    expect(store.latest('a')).toBe(ABSENT);
    expect(store.latest('b')).toBe('b3');
    expect(store.keys()).toEqual(['b']);
    expect(store.size).toBe(1);
    expect(store.head).toBe(4);
  });

  it('write returns the value it replaces, ABSENT for a new key; a stored undefined is not absence', () => {
    const store = new VersionedStore();
    expect(store.write('k', 1, 1)).toBe(ABSENT);
    expect(store.write('k', 2, null)).toBe(1);
    expect(store.write('k', 3, undefined)).toBe(null);
    expect(store.latest('k')).toBeUndefined();
    expect(store.keys()).toEqual(['k']);
    expect(store.write('k', 4, ABSENT)).toBe(undefined);
  });

  it('latest finds only the string keys written: not a number for its string, not a name on Object.prototype', () => {
    const store = new VersionedStore();
    store.write('5', 1, 'five');
    store.write('__proto__', 2, 'own');
    store.write('gone', 3, 'here');
    store.write('gone', 4, ABSENT);
    expect(store.latest('5')).toBe('five');
    expect(store.latest(5 as unknown as string)).toBe(ABSENT);
    expect(store.latest('__proto__')).toBe('own');
    expect(store.latest('toString')).toBe(ABSENT);
    expect(store.latest('gone')).toBe(ABSENT);
    expect(store.latest('never')).toBe(ABSENT);
  });

  it('latest sees what restoreKeyVersions adds: a key known only by its version is absent', () => {
    const store = new VersionedStore();
    store.write('kept', 1, 'value');
    store.restoreKeyVersions([
      ['kept', 7],
      ['deleted', 5],
    ]);
    expect(store.latest('kept')).toBe('value');
    expect(store.latest('deleted')).toBe(ABSENT);
    expect(store.keyVersion('deleted')).toBe(5);
  });

  it('objectAt puts the undone values back over the newest ones, removing keys that were absent', () => {
    const store = new VersionedStore();
    store.write('kept', 0, 1);
    store.write('changed', 0, 'old');
    store.write('changed', 1, 'new');
    store.write('added', 2, true);
    store.write('removed', 0, 'here');
    store.write('removed', 3, ABSENT);
    expect(store.objectAt()).toEqual({ kept: 1, changed: 'new', added: true });
    const undone = new Map<string, unknown>([
      ['changed', 'old'],
      ['added', ABSENT],
      ['removed', 'here'],
    ]);
    expect(store.objectAt(undone)).toEqual({ kept: 1, changed: 'old', removed: 'here' });
  });

  it('objectAt builds a null-prototype object where __proto__ is an ordinary key', () => {
    const store = new VersionedStore();
    store.write('__proto__', 0, { polluted: true });
    store.write('constructor', 0, 1);
    const object = store.objectAt();
    expect(Object.getPrototypeOf(object)).toBe(null);
    expect(Object.keys(object)).toEqual(['__proto__', 'constructor']);
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });

  it('keeps values, key order (a key back after a delete comes last), size and key versions as a model of two Maps does', () => {
    fc.assert(
      fc.property(fc.array(write, { maxLength: 40 }), (writes) => {
        const store = new VersionedStore();
        const values = new Map<string, unknown>();
        const versions = new Map<string, number>();
        writes.forEach(({ key, value }, i) => {
          const version = i + 1;
          expect(store.write(key, version, value)).toBe(values.has(key) ? values.get(key) : ABSENT);
          if (value === ABSENT) values.delete(key);
          else values.set(key, value);
          versions.set(key, version);
        });
        expect(store.keys()).toEqual([...values.keys()]);
        expect(store.size).toBe(values.size);
        for (const key of KEYS) {
          expect(store.latest(key)).toBe(values.has(key) ? values.get(key) : ABSENT);
          expect(store.keyVersion(key)).toBe(versions.get(key) ?? 0);
        }
        expect(Object.keys(store.objectAt())).toEqual([...values.keys()]);
        expect(new Map(store.keyVersions())).toEqual(versions);
      }),
    );
  });
});
