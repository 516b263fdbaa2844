import { enableMapSet, Immer } from 'immer';
import { cloneStored } from '../values/clone.ts';

enableMapSet();
// Freezing is left to the store's own copy (storable.ts), which keeps immer's structural sharing.
const immer = new Immer({ autoFreeze: false });

/**
 * A `modify` recipe's next value, wherever it runs (the state actor's
 * mailbox, or a replica proposing to a stream): immer's produce for what it
 * can draft; a Date (the one stored object it cannot draft) gets a mutable
 * copy, kept when the recipe mutates it in place.
 */
export function produce(base: unknown, recipe: (draft: unknown) => unknown): unknown {
  const checked = (draft: unknown) => {
    const returned = recipe(draft);
    if (isThenable(returned)) throw new TypeError('the recipe returned a Promise; recipes run inside the mailbox and must be synchronous');
    return returned;
  };
  if (!(base instanceof Date)) return immer.produce(base, checked);
  const draft = cloneStored(base);
  const returned = checked(draft);
  return returned === undefined ? draft : returned;
}

/** Whether a recipe left the value as it was: the same value, or a Date of the same time. */
export function sameValue(next: unknown, current: unknown): boolean {
  return Object.is(next, current) || (next instanceof Date && current instanceof Date && Object.is(next.getTime(), current.getTime()));
}

function isThenable(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
