import { setOwnKey } from './setOwnKey.ts';
import { toStorable } from './storable.ts';

/**
 * The caller's value, copied and frozen now: a command may wait in the
 * mailbox (a write made from a listener or a recipe), and changing the object
 * after the call must not change what gets stored. A value that cannot be
 * stored goes as it is, for the actor to reject and count.
 */
export function detached(key: string, value: unknown): unknown {
  try {
    return toStorable(key, value);
  } catch {
    return value;
  }
}

/**
 * `detached` for each value of an update's plain object: one shallow copy
 * (a spread keeps an own "__proto__" as a key), then a copy of each object
 * value; a primitive is its own copy. Anything else goes as it is, for the
 * actor to refuse.
 */
export function detachedValues(values: object): object {
  if (typeof values !== 'object' || values === null) return values;
  const proto: unknown = Object.getPrototypeOf(values);
  if (proto !== Object.prototype && proto !== null) return values;
  const copy: Record<string, unknown> = proto === null ? Object.assign(Object.create(null) as Record<string, unknown>, values) : { ...values };
  for (const key of Object.keys(copy)) {
    const value = copy[key];
    if (typeof value === 'object' && value !== null) setOwnKey(copy, key, detached(key, value));
  }
  return copy;
}
