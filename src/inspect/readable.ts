import { setOwnKey } from '../values/setOwnKey.ts';

/** JSON: what a recording holds, so it can be saved, sent and loaded as it is. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** How much of a value to keep. Event payloads are trimmed; state values are kept whole. */
export interface ReadableLimits {
  /** Nesting levels kept; deeper values become `{ "$type": "elided" }`. */
  readonly maxDepth: number;
  /** Items kept per array, Map, Set or object. */
  readonly maxItems: number;
  /** Characters kept per string. */
  readonly maxString: number;
}

/** Everything, for state values: the page must show exactly what `snapshotAt` returns. */
export const WHOLE: ReadableLimits = { maxDepth: Infinity, maxItems: Infinity, maxString: Infinity };

/** Enough to read an event or an actor's output without copying a whole state into every line. */
export const BRIEF: ReadableLimits = { maxDepth: 6, maxItems: 50, maxString: 400 };

/** A value JSON cannot carry, written as `{ "$type": ..., ...details }`. */
const tagged = (type: string, details: Record<string, Json> = {}): Json => ({ $type: type, ...details });

interface ActorLike {
  sessionId: string;
  id?: unknown;
  send: unknown;
}

const isActorLike = (value: object): value is ActorLike =>
  typeof (value as Partial<ActorLike>).sessionId === 'string' && typeof (value as Partial<ActorLike>).send === 'function';

function describeNumber(value: number): Json {
  if (Number.isFinite(value)) return Object.is(value, -0) ? 0 : value;
  return tagged('number', { value: String(value) });
}

/** Where a value is in the readable JSON, as a chain of steps from the root: a child costs one small object. */
interface Place {
  readonly up: Place | null;
  readonly step: string | number;
}

/** One toReadable call's bookkeeping: what is being walked, and what was shown where. */
interface Walk {
  readonly limits: ReadableLimits;
  readonly ancestors: Set<object>;
  /** Each array, Map, Set and plain object shown so far, and its place: a repeat is shown as a reference to it. */
  readonly places: Map<object, Place | null>;
  /** The keys of `places` in the order they were shown, so a walk that throws can take back what it showed. */
  readonly order: object[];
  /** What each object whose walk threw reads as, so a repeat of it is not walked again. */
  readonly unreadable: Map<object, Json>;
}

function pathOf(place: Place | null): Json[] {
  const steps: Json[] = [];
  for (let at = place; at !== null; at = at.up) steps.push(at.step);
  return steps.reverse();
}

/**
 * A readable, JSON-only copy of any value: snapshots and events can hold
 * functions, actors, class instances, cycles and getters that throw, and a
 * recording keeps only what a person can read. Plain data (objects, arrays,
 * Date, Map, Set, bigint, undefined) survives with its meaning; anything
 * else becomes a `{ "$type" }` tag naming what it was. A plain object with
 * a `$type` key of its own is wrapped, `{ "$type": "object", "value": {...} }`,
 * so it is never mistaken for a tag. An array, Map, Set or object reached
 * again is shown once: a cycle as `{ "$type": "circular" }`, any other
 * repeat as `{ "$type": "ref", "path": [...] }`, the steps in this JSON to
 * where it is shown, so the copy grows with the objects, not with the paths to them.
 */
export function toReadable(value: unknown, limits: ReadableLimits = WHOLE): Json {
  return walk(value, { limits, ancestors: new Set(), places: new Map(), order: [], unreadable: new Map() }, 0, null, undefined);
}

/**
 * An event, read by its own fields even when it is a class instance: an
 * event's fields are its payload (the facade's checked `set` is a frozen
 * class instance with `key` and `value` of its own), where a class instance
 * inside a value is often an engine better named than walked.
 */
export function toReadableEvent(event: unknown, limits: ReadableLimits = BRIEF): Json {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) return toReadable(event, limits);
  const proto: unknown = Object.getPrototypeOf(event);
  if (proto === Object.prototype || proto === null) return toReadable(event, limits);
  const fields: Record<string, unknown> = {};
  try {
    for (const key of Object.keys(event)) setOwnKey(fields, key, (event as Record<string, unknown>)[key]);
  } catch (error) {
    return tagged('unreadable', { reason: error instanceof Error ? error.message : String(error) });
  }
  return toReadable(fields, limits);
}

function walk(value: unknown, ctx: Walk, depth: number, up: Place | null, step: string | number | undefined): Json {
  const { limits } = ctx;
  switch (typeof value) {
    case 'string':
      return value.length > limits.maxString ? `${value.slice(0, limits.maxString)}… (${value.length - limits.maxString} more characters)` : value;
    case 'number':
      return describeNumber(value);
    case 'boolean':
      return value;
    case 'undefined':
      return tagged('undefined');
    case 'bigint':
      return tagged('bigint', { value: value.toString() });
    case 'symbol':
      return tagged('symbol', { description: value.description ?? '' });
    case 'function':
      return tagged('function', { name: value.name });
  }
  if (value === null) return null;
  const object = value as object;
  if (ctx.ancestors.has(object)) return tagged('circular');
  const place = ctx.places.get(object);
  if (place !== undefined) return tagged('ref', { path: pathOf(place) });
  const failed = ctx.unreadable.get(object);
  if (failed !== undefined) return failed;
  if (depth >= limits.maxDepth) return tagged('elided', { kind: Array.isArray(object) ? 'array' : 'object' });
  ctx.ancestors.add(object);
  const shownBefore = ctx.order.length;
  try {
    return walkObject(object, ctx, depth, step === undefined ? null : { up, step });
  } catch (error) {
    // A proxy or a getter that throws: say so instead of losing the whole recording.
    const tag = tagged('unreadable', { reason: error instanceof Error ? error.message : String(error) });
    // What was shown inside it is not in the copy: a repeat of it is shown again, not referred to.
    for (const inner of ctx.order.splice(shownBefore)) ctx.places.delete(inner);
    ctx.unreadable.set(object, tag);
    return tag;
  } finally {
    ctx.ancestors.delete(object);
  }
}

/** Records that `object` is shown at `here`, before its children are walked. */
function show(ctx: Walk, object: object, here: Place | null): void {
  ctx.places.set(object, here);
  ctx.order.push(object);
}

function walkObject(object: object, ctx: Walk, depth: number, here: Place | null): Json {
  const { limits } = ctx;
  const inner = (item: unknown, at: Place | null, step: string | number) => walk(item, ctx, depth + 1, at, step);
  const more = (total: number): Json[] => (total > limits.maxItems ? [tagged('more', { count: total - limits.maxItems })] : []);
  if (Array.isArray(object)) {
    show(ctx, object, here);
    const items: Json[] = [];
    for (let i = 0; i < Math.min(object.length, limits.maxItems); i++) items.push(inner(object[i], here, i));
    return [...items, ...more(object.length)];
  }
  if (object instanceof Date) return tagged('Date', { value: Number.isNaN(object.getTime()) ? null : object.toISOString() });
  if (object instanceof Map) {
    show(ctx, object, here);
    const list: Place = { up: here, step: 'entries' };
    const entries = [...object].slice(0, limits.maxItems).map(([key, item], i): Json => {
      const entry: Place = { up: list, step: i };
      return [inner(key, entry, 0), inner(item, entry, 1)];
    });
    return tagged('Map', { entries: [...entries, ...more(object.size)] });
  }
  if (object instanceof Set) {
    show(ctx, object, here);
    const list: Place = { up: here, step: 'values' };
    return tagged('Set', { values: [...[...object].slice(0, limits.maxItems).map((item, i) => inner(item, list, i)), ...more(object.size)] });
  }
  if (object instanceof Error) return tagged('Error', { name: object.name, message: object.message });
  if (isActorLike(object)) return tagged('actor', { sessionId: object.sessionId, id: typeof object.id === 'string' ? object.id : object.sessionId });
  const proto: unknown = Object.getPrototypeOf(object);
  if (proto !== Object.prototype && proto !== null) {
    // A class instance: its fields are its own business (and often an actor system), its name is readable.
    const name = (object as { constructor?: { name?: unknown } }).constructor?.name;
    return tagged(typeof name === 'string' && name !== '' ? name : 'object');
  }
  show(ctx, object, here);
  // An object with its own "$type" would read as one of the tags above: wrapped, it stays the plain object it was.
  const wrapped = Object.hasOwn(object, '$type');
  const at: Place | null = wrapped ? { up: here, step: 'value' } : here;
  const out: Record<string, Json> = {};
  const keys = Object.keys(object);
  for (const key of keys.slice(0, limits.maxItems)) setOwnKey(out, key, inner((object as Record<string, unknown>)[key], at, key));
  if (keys.length > limits.maxItems) out.$more = keys.length - limits.maxItems;
  return wrapped ? tagged('object', { value: out }) : out;
}
