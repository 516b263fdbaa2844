/** toReadable: any value a snapshot or an event can hold, as JSON a person can read. */
import { describe, expect, it } from 'vitest';
import { createActor, createMachine } from 'xstate';
import { BRIEF, toReadable } from 'concord-state/inspect';

class Engine {
  secret = 'kept out';
}

describe('toReadable', () => {
  it('keeps plain data as it is, and tags what JSON cannot carry', () => {
    expect(toReadable({ a: [1, 'two', null, true], b: { c: -0 } })).toEqual({ a: [1, 'two', null, true], b: { c: 0 } });
    expect(toReadable([undefined, 1n, NaN, -Infinity, Symbol('s')])).toEqual([
      { $type: 'undefined' },
      { $type: 'bigint', value: '1' },
      { $type: 'number', value: 'NaN' },
      { $type: 'number', value: '-Infinity' },
      { $type: 'symbol', description: 's' },
    ]);
    expect(toReadable(new Date(Number.NaN))).toEqual({ $type: 'Date', value: null });
    expect(toReadable(new Error('boom'))).toEqual({ $type: 'Error', name: 'Error', message: 'boom' });
  });

  it('wraps a plain object with a "$type" key of its own, so it is never read as a tag', () => {
    expect(toReadable({ $type: 'Set', note: 'x' })).toEqual({ $type: 'object', value: { $type: 'Set', note: 'x' } });
    expect(toReadable({ inner: { $type: 'Map' } })).toEqual({ inner: { $type: 'object', value: { $type: 'Map' } } });
  });

  it('names functions, class instances and actors instead of walking into them', () => {
    const actor = createActor(createMachine({ id: 'm' }), { id: 'worker' });
    expect(toReadable({ run: function run() {}, engine: new Engine(), replyTo: actor })).toEqual({
      run: { $type: 'function', name: 'run' },
      engine: { $type: 'Engine' },
      replyTo: { $type: 'actor', sessionId: actor.sessionId, id: 'worker' },
    });
  });

  it('cuts cycles, and shows a value shared by two branches once, then as a reference to where it is', () => {
    const shared = { n: 1 };
    const loop: Record<string, unknown> = { shared, again: shared };
    loop.self = loop;
    expect(toReadable(loop)).toEqual({ shared: { n: 1 }, again: { $type: 'ref', path: ['shared'] }, self: { $type: 'circular' } });
  });

  it('survives a getter that throws, and keeps an own "__proto__" key as a key', () => {
    const hostile = Object.defineProperty({}, 'bad', {
      enumerable: true,
      get() {
        throw new Error('no reading me');
      },
    });
    expect(toReadable({ hostile })).toEqual({ hostile: { $type: 'unreadable', reason: 'no reading me' } });
    const keyed = JSON.parse('{"__proto__": {"polluted": true}}') as object;
    const readable = toReadable(keyed) as Record<string, unknown>;
    expect(Object.keys(readable)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('trims with BRIEF: depth, items and string length, saying how much was left out', () => {
    const deep = { a: { b: { c: { d: { e: { f: { g: 1 } } } } } } };
    expect(JSON.stringify(toReadable(deep, BRIEF))).toContain('"$type":"elided"');
    const many = toReadable(
      Array.from({ length: 60 }, (_, i) => i),
      BRIEF,
    ) as unknown[];
    expect(many).toHaveLength(51);
    expect(many.at(-1)).toEqual({ $type: 'more', count: 10 });
    expect(toReadable('x'.repeat(500), BRIEF)).toMatch(/^x{400}… \(100 more characters\)$/);
    expect(toReadable(new Map(Array.from({ length: 55 }, (_, i) => [i, i])), BRIEF)).toMatchObject({
      $type: 'Map',
      entries: expect.arrayContaining([{ $type: 'more', count: 5 }]),
    });
  });
});
