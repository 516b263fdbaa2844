import { z } from 'zod';
import { StateValidationError, type ValidationIssue } from '../errors.ts';
import { refuseHoles, toStorable } from './storable.ts';

/** Checks one value on its way into the store and returns what gets stored. */
export type ValueGuard = (key: string, value: unknown) => unknown;

/** A zod object schema: each key's value type. */
export type StateObjectSchema = z.ZodObject;

function issuesOf(error: z.ZodError): ValidationIssue[] {
  return error.issues.map((issue) => ({ path: issue.path, message: issue.message }));
}

/**
 * Builds the check every written value passes, in order: the key's type in
 * `schema` (a key the schema does not name is refused unless the schema has a
 * catchall), then `valueSchema`, then the storable check that copies and
 * freezes it. What zod outputs (defaults, transforms) is what gets stored.
 * Arrays with holes are refused before zod sees them, as the storable check
 * refuses them: zod would walk a sparse array's every index.
 */
export function createValueGuard(schema?: StateObjectSchema, valueSchema?: z.ZodType): ValueGuard {
  const shape: Record<string, z.core.$ZodType | undefined> = schema?.shape ?? {};
  const declaredCatchall = schema?._zod.def.catchall;
  // z.strictObject's catchall is z.never(): no other key is allowed, which the message below says better.
  const catchall = declaredCatchall?._zod.def.type === 'never' ? undefined : declaredCatchall;
  return (key, value) => {
    let checked = value;
    if (schema !== undefined || valueSchema !== undefined) refuseHoles(key, checked);
    if (schema !== undefined) {
      const keySchema = Object.hasOwn(shape, key) ? shape[key] : catchall;
      if (keySchema === undefined) {
        const known = Object.keys(shape).join(', ');
        throw new StateValidationError(key, [{ path: [], message: `the schema has no key "${key}" (known keys: ${known})` }]);
      }
      const result = z.safeParse(keySchema, checked);
      if (!result.success) throw new StateValidationError(key, issuesOf(result.error));
      checked = result.data;
    }
    if (valueSchema !== undefined) {
      const result = valueSchema.safeParse(checked);
      if (!result.success) throw new StateValidationError(key, issuesOf(result.error));
      checked = result.data;
    }
    return toStorable(key, checked);
  };
}
