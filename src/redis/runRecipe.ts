import { enableMapSet, Immer } from 'immer';
import { describeThrown } from '../describeThrown.ts';
import { StateRecipeError } from '../errors.ts';
import type { Recipe } from '../protocol.ts';
import { cloneStored } from '../values/clone.ts';

enableMapSet();
// The result is sent to the stream and stored as a copy: freezing it here would be work for nothing.
const immer = new Immer({ autoFreeze: false });

/** What a recipe made of a key's value: the next value, or `changed: false` when it left it as it was. */
export interface RecipeResult {
  readonly changed: boolean;
  readonly value: unknown;
}

/**
 * Runs a `modify` recipe outside any mailbox, as the state actor runs it
 * inside one (src/commands/planWrite.ts): an immer draft of the current
 * value, or of `fallback` when the key is absent; a Date gets a mutable
 * copy. `current` is the stored value, never changed here.
 */
export function runRecipe(
  key: string,
  current: { present: boolean; value: unknown },
  fallback: { given: boolean; value: unknown },
  recipe: Recipe,
): RecipeResult {
  const base = current.present ? current.value : fallback.given ? cloneStored(fallback.value) : undefined;
  let produced: unknown;
  try {
    produced = produce(base, recipe);
  } catch (error) {
    const { name, message } = describeThrown(error);
    throw new StateRecipeError(key, name, message);
  }
  const unchanged = current.present ? sameValue(produced, current.value) : produced === undefined && !fallback.given;
  return { changed: !unchanged, value: produced };
}

function produce(base: unknown, recipe: Recipe): unknown {
  const checked = (draft: unknown) => {
    const returned = recipe(draft);
    if (typeof returned === 'object' && returned !== null && typeof (returned as { then?: unknown }).then === 'function') {
      throw new TypeError('the recipe returned a Promise; recipes must be synchronous');
    }
    return returned;
  };
  if (!(base instanceof Date)) return immer.produce(base, checked);
  const draft = cloneStored(base);
  const returned = checked(draft);
  return returned === undefined ? draft : returned;
}

function sameValue(next: unknown, current: unknown): boolean {
  return Object.is(next, current) || (next instanceof Date && current instanceof Date && Object.is(next.getTime(), current.getTime()));
}
