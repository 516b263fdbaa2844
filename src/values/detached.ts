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

/** `detached` for each value of an update's plain object; anything else goes as it is, for the actor to refuse. */
export function detachedValues(values: object): object {
  if (typeof values !== 'object' || values === null) return values;
  const proto: unknown = Object.getPrototypeOf(values);
  if (proto !== Object.prototype && proto !== null) return values;
  const copy: Record<string, unknown> = proto === null ? (Object.create(null) as Record<string, unknown>) : {};
  for (const key of Object.keys(values)) setOwnKey(copy, key, detached(key, (values as Record<string, unknown>)[key]));
  return copy;
}
