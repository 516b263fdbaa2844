import { describeThrown } from '../describeThrown.ts';
import { StateValidationError } from '../errors.ts';
import { setOwnKey } from './setOwnKey.ts';

/**
 * Stored values are private, deep-frozen copies. One walk validates, copies
 * and freezes, so a caller keeps no reference into the store and snapshots
 * can share stored values without copying them again.
 *
 * Accepted: primitives (bigint and undefined included), plain objects (with
 * or without a prototype), arrays, Date, Map and Set, cycles included.
 * Refused: functions, symbols (as values or keys), class instances,
 * WeakMap/WeakSet, typed arrays, RegExp, Error, Promise: they either cannot
 * be copied or would come back as something else (a class instance would
 * lose its prototype). Arrays with holes are refused too, at the first hole:
 * a sparse array is a few bytes to send with a length of 2**32 - 1, and
 * filling its holes would be a walk of that length. Non-enumerable
 * properties, and properties other than indexes on arrays, are not data and
 * are not copied.
 */

/** Values this module froze; storing one again costs nothing, which keeps immer's structural sharing. */
const frozenByUs = new WeakSet<object>();

const MAX_DEPTH = 1000;

const refusals = new WeakSet<object>();

class Refusal extends Error {
  readonly path: PropertyKey[];
  constructor(path: readonly PropertyKey[], message: string) {
    super(message);
    this.path = [...path];
    refusals.add(this);
  }
}

function refuseMutation(): never {
  throw new TypeError('This value is frozen: it belongs to the shared state. Change it with set() or modify().');
}

const dateSetters = Object.getOwnPropertyNames(Date.prototype).filter((name) => name.startsWith('set'));

function lock(target: object, methods: readonly string[]): void {
  for (const method of methods) {
    Object.defineProperty(target, method, { value: refuseMutation, enumerable: false });
  }
}

function holeAt(path: PropertyKey[], index: number, length: number): Refusal {
  return new Refusal(
    [...path, index],
    `arrays with holes cannot be stored (index ${index} of ${length} is empty); fill the holes (with undefined or null), or store an object keyed by index`,
  );
}

function describe(value: object): string {
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name !== '' ? `a ${name} instance` : 'an object with a custom prototype';
}

function copy(value: unknown, path: PropertyKey[], seen: Map<object, unknown>): unknown {
  switch (typeof value) {
    case 'function':
      throw new Refusal(path, 'functions cannot be stored; store plain data');
    case 'symbol':
      throw new Refusal(path, 'symbols cannot be stored; store a string instead');
    case 'object':
      break;
    default:
      return value;
  }
  if (value === null || frozenByUs.has(value)) return value;
  const known = seen.get(value);
  if (known !== undefined) return known;
  if (path.length > MAX_DEPTH) throw new Refusal(path.slice(0, 3), `values nested deeper than ${MAX_DEPTH} levels cannot be stored`);

  const proto: unknown = Object.getPrototypeOf(value);
  let result: object;
  if (Array.isArray(value) && proto === Array.prototype) {
    const out: unknown[] = new Array(value.length);
    seen.set(value, out);
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      // Only an undefined item can be a hole, so `in` is asked rarely.
      if (item === undefined && !(i in value)) throw holeAt(path, i, value.length);
      out[i] = child(item, i, path, seen);
    }
    result = out;
  } else if (proto === Object.prototype || proto === null) {
    if (Object.getOwnPropertySymbols(value).length > 0) {
      throw new Refusal(path, 'symbol-keyed properties cannot be stored; use string keys');
    }
    const out: Record<string, unknown> = proto === null ? (Object.create(null) as Record<string, unknown>) : {};
    seen.set(value, out);
    for (const key of Object.keys(value)) {
      const stored = child((value as Record<string, unknown>)[key], key, path, seen);
      setOwnKey(out, key, stored);
    }
    result = out;
  } else if (value instanceof Date && proto === Date.prototype) {
    const out = new Date(value.getTime());
    lock(out, dateSetters);
    result = out;
  } else if (value instanceof Map && proto === Map.prototype) {
    const out = new Map<unknown, unknown>();
    seen.set(value, out);
    for (const [k, v] of value) out.set(child(k, '<map key>', path, seen), child(v, String(k), path, seen));
    lock(out, ['set', 'delete', 'clear']);
    result = out;
  } else if (value instanceof Set && proto === Set.prototype) {
    const out = new Set<unknown>();
    seen.set(value, out);
    for (const item of value) out.add(child(item, '<set item>', path, seen));
    lock(out, ['add', 'delete', 'clear']);
    result = out;
  } else {
    throw new Refusal(path, `${describe(value)} cannot be stored; store plain objects, arrays, Date, Map or Set`);
  }
  Object.freeze(result);
  frozenByUs.add(result);
  return result;
}

/** Copies one child, keeping `path` as a stack so the happy path allocates no path arrays. */
function child(value: unknown, step: PropertyKey, path: PropertyKey[], seen: Map<object, unknown>): unknown {
  path.push(step);
  const result = copy(value, path, seen);
  path.pop();
  return result;
}

/**
 * Returns a deep-frozen private copy of `value`, or throws
 * `StateValidationError` naming the path of the first part that cannot be stored.
 */
export function toStorable(key: string, value: unknown): unknown {
  if (typeof value !== 'object' || value === null) {
    if (typeof value === 'function' || typeof value === 'symbol') copyOrRefuse(key, value);
    return value;
  }
  return copyOrRefuse(key, value);
}

function copyOrRefuse(key: string, value: unknown): unknown {
  try {
    return copy(value, [], new Map());
  } catch (error) {
    throw refused(key, error);
  }
}

function refused(key: string, error: unknown): StateValidationError {
  // Only this module makes a Refusal: an identity check, where instanceof would ask a hostile thrown value for its prototype.
  if (refusals.has(error as object)) {
    const { path, message } = error as Refusal;
    return new StateValidationError(key, [{ path, message }]);
  }
  // A getter that throws (whatever it throws), or a structure too deep for the stack.
  return new StateValidationError(key, [{ path: [], message: `the value could not be read: ${describeThrown(error).message}` }]);
}

/** Walks what a schema would walk (plain objects, arrays, Map, Set) and refuses the first hole. */
function findHole(value: unknown, path: PropertyKey[], seen: Set<object>): void {
  if (typeof value !== 'object' || value === null || frozenByUs.has(value) || seen.has(value)) return;
  seen.add(value);
  const proto: unknown = Object.getPrototypeOf(value);
  const visit = (item: unknown, step: PropertyKey) => {
    path.push(step);
    findHole(item, path, seen);
    path.pop();
  };
  if (Array.isArray(value) && proto === Array.prototype) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (item === undefined && !(i in value)) throw holeAt(path, i, value.length);
      visit(item, i);
    }
  } else if (proto === Object.prototype || proto === null) {
    for (const key of Object.keys(value)) visit((value as Record<string, unknown>)[key], key);
  } else if (value instanceof Map) {
    for (const [k, v] of value) {
      visit(k, '<map key>');
      visit(v, '<map value>');
    }
  } else if (value instanceof Set) {
    for (const item of value) visit(item, '<set item>');
  }
}

/**
 * Throws the `StateValidationError` that `toStorable` would for an array
 * with holes, before a schema walks the value: zod walks an array by its
 * length. Values this module froze have no holes and cost nothing.
 */
export function refuseHoles(key: string, value: unknown): void {
  try {
    findHole(value, [], new Set());
  } catch (error) {
    throw refused(key, error);
  }
}
