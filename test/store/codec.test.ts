/** The value codec: everything `set` accepts comes back exactly, null prototypes and cycles included. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeValue, decodeValueText, encodeValue, encodeValueText } from '../../src/values/codec.ts';
import { toStorable } from '../../src/values/storable.ts';

const roundTrip = (value: unknown) => decodeValue(encodeValue(value));

describe('the value codec', () => {
  it('keeps null vs undefined, Date, Map, Set, bigint and __proto__ keys', () => {
    const value = { a: null, b: undefined, when: new Date(5), map: new Map<unknown, unknown>([['k', 1n]]), set: new Set([1, 'x']), big: 2n ** 70n };
    Object.defineProperty(value, '__proto__', { value: { own: true }, enumerable: true, configurable: true, writable: true });
    const back = roundTrip(value) as typeof value;
    expect(back).toEqual(value);
    expect(Object.hasOwn(back, 'b')).toBe(true);
    expect(Object.hasOwn(back, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
  });

  it('keeps null prototypes, at the root, nested, in Maps and Sets, and shared', () => {
    const inner: Record<string, unknown> = Object.assign(Object.create(null) as object, { x: 1 });
    const root = Object.assign(Object.create(null) as object, { inner, again: inner, list: [inner], map: new Map([[inner, inner]]), set: new Set([inner]) });
    const back = roundTrip(root) as Record<string, unknown> & { inner: object; again: object; list: object[]; map: Map<object, object>; set: Set<object> };
    expect(Object.getPrototypeOf(back)).toBe(null);
    expect(Object.getPrototypeOf(back.inner)).toBe(null);
    expect(back.again).toBe(back.inner);
    expect(back.list[0]).toBe(back.inner);
    expect([...back.map.keys()][0]).toBe(back.inner);
    expect([...back.set][0]).toBe(back.inner);
  });

  it('keeps cycles', () => {
    const node: Record<string, unknown> = { name: 'n' };
    node.self = node;
    const back = roundTrip(node) as Record<string, unknown>;
    expect(back.self).toBe(back);
  });

  it('carries a tag byte: JSON for what JSON carries exactly, v8 for the rest; an unknown tag is refused', () => {
    expect([{ a: [1, 'x', null, true] }, 2.5, 'text'].map((value) => encodeValue(value)[0])).toEqual([2, 2, 2]);
    const shared = { s: 1 };
    const bare = Object.create(null) as object;
    const holes: unknown[] = [1];
    holes[2] = 3;
    expect([undefined, -0, Number.NaN, 1n, new Date(0), { a: undefined }, [shared, shared], bare, holes].map((value) => encodeValue(value)[0])).toEqual([
      1, 1, 1, 1, 1, 1, 1, 1, 1,
    ]);
    for (const value of [-0, [shared, shared], holes, { a: undefined }]) expect(roundTrip(value)).toStrictEqual(value);
    const bytes = encodeValue(new Date(1));
    bytes[0] = 9;
    expect(() => decodeValue(bytes)).toThrow(/value codec version 9/);
  });

  it('round-trips through a string JSON can carry', () => {
    const value = { m: new Map([[1, new Set([2n])]]) };
    expect(decodeValueText(JSON.parse(JSON.stringify(encodeValueText(value))) as string)).toEqual(value);
  });

  it('round-trips any storable value (fast-check)', () => {
    fc.assert(
      fc.property(fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withNullPrototype: true, withObjectString: false }), (raw) => {
        let stored: unknown;
        try {
          stored = toStorable('k', raw);
        } catch {
          return;
        }
        expect(roundTrip(stored)).toStrictEqual(stored);
      }),
      { numRuns: 500 },
    );
  });
});
