import { produce, sameValue } from '../commands/recipe.ts';
import { describeThrown } from '../describeThrown.ts';
import { StateRecipeError } from '../errors.ts';
import type { Recipe } from '../protocol.ts';
import { cloneStored } from '../values/clone.ts';

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
