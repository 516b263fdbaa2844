import type { Recipe } from '../protocol.ts';

/**
 * The recipes `modify` commands use. Each works on an immer draft and on the
 * model's plain copy alike, so the model can run the very same function.
 */
export const recipes = {
  /** Numbers go up by one; anything else becomes 1. */
  increment: (value: unknown) => (typeof value === 'number' ? value + 1 : 1),
  /** Mutates the draft: arrays get an item, maps and objects a `tagged` entry; anything else becomes 'tagged'. */
  tag: (draft: unknown) => {
    if (Array.isArray(draft)) draft.push('tagged');
    else if (draft instanceof Map) draft.set('tagged', true);
    else if (typeof draft === 'object' && draft !== null && !(draft instanceof Date) && !(draft instanceof Set))
      (draft as Record<string, unknown>).tagged = true;
    else return 'tagged';
    return undefined;
  },
  /** Changes nothing: no new version. */
  noop: () => undefined,
  /** Throws: the command must reject with StateRecipeError and change nothing. */
  fail: () => {
    throw new Error('recipe failed on purpose');
  },
} satisfies Record<string, (draft: unknown) => unknown>;

/** The name of one of the kit's recipes. */
export type RecipeName = keyof typeof recipes;

export const recipeOf = (name: RecipeName): Recipe => recipes[name];
