import { z } from 'zod';
import { StateOptionsError, StateValidationError } from './errors.ts';
import type { StateConfig } from './commands/stateEngine.ts';
import type { ConcordInspector, Inspect } from './inspect/ambient.ts';
import { HistoryCommandSchema, ModifyCommandSchema, SetCommandSchema, UpdateCommandSchema, WriteOptionsSchema } from './protocol.ts';
import { createValueGuard, type StateObjectSchema } from './values/valueGuard.ts';

/** Options of `createThreadSafeState`. */
export interface ThreadSafeStateOptions<T> {
  /** Keys and values at version 0; each value is checked like a write. @default {} */
  initialState?: Partial<T>;
  /** History records kept; older versions can no longer be rolled back to. An integer >= 1. @default 1000 */
  maxHistorySize?: number;
  /** Keep snapshots of recent versions, so repeated `snapshot()` calls cost a lookup. @default true */
  enableSnapshots?: boolean;
  /** How many versions' snapshots the cache keeps. An integer >= 1. @default 16 */
  snapshotCacheSize?: number;
  /** A zod object schema giving each key's value type (its output is `T`); writes to other keys are refused unless it has a catchall. */
  schema?: StateObjectSchema & z.ZodType<T>;
  /** A zod schema every written value must pass. */
  valueSchema?: z.ZodType;
  /**
   * An XState inspector, passed to `createActor`, or a ConcordInspector, which
   * also follows the state's versions. @default the ambient inspector, if one is set
   */
  inspect?: Inspect | ConcordInspector;
  /** Milliseconds since the epoch, for history timestamps. @default Date.now */
  clock?: () => number;
}

/**
 * Options of `createThreadSafeState` with a schema, which alone types the
 * state: each key's value type is the schema's output for it.
 */
export interface SchemaStateOptions<S extends StateObjectSchema> extends Omit<ThreadSafeStateOptions<z.output<S>>, 'schema'> {
  /** A zod object schema giving each key's value type; writes to other keys are refused unless it has a catchall. */
  schema: S;
}

const isFunction = (value: unknown): boolean => typeof value === 'function';
const isZodSchema = (value: unknown): boolean => value instanceof z.ZodType;

const OptionsSchema = z.strictObject({
  initialState: z
    .custom<Record<string, unknown>>((value) => typeof value === 'object' && value !== null && !Array.isArray(value), {
      message: 'initialState must be an object of key -> value',
    })
    .optional(),
  maxHistorySize: z.number().int().min(1, 'maxHistorySize must be an integer >= 1').optional(),
  enableSnapshots: z.boolean().optional(),
  snapshotCacheSize: z.number().int().min(1, 'snapshotCacheSize must be an integer >= 1').optional(),
  schema: z.custom<StateObjectSchema>((value) => value instanceof z.ZodObject, { message: 'schema must be a zod object schema (z.object({...}))' }).optional(),
  valueSchema: z.custom<z.ZodType>(isZodSchema, { message: 'valueSchema must be a zod schema' }).optional(),
  inspect: z.custom((value) => isFunction(value) || (typeof value === 'object' && value !== null), { message: 'inspect must be an inspector' }).optional(),
  clock: z.custom<() => number>(isFunction, { message: 'clock must be a function returning milliseconds' }).optional(),
});

/**
 * Checks the options and the initial values, and builds what the state
 * machine is created with. Throws StateOptionsError or StateValidationError.
 */
export function createStateConfig(options: ThreadSafeStateOptions<unknown> = {}): StateConfig {
  const parsed = OptionsSchema.safeParse(options);
  if (!parsed.success) throw new StateOptionsError(parsed.error.issues.map(({ path, message }) => ({ path, message })));
  const { initialState = {}, maxHistorySize = 1000, enableSnapshots = true, snapshotCacheSize = 16, schema, valueSchema, clock = Date.now } = parsed.data;
  const guard = createValueGuard(schema, valueSchema);
  const initialValues = new Map<string, unknown>();
  for (const key of Object.keys(initialState)) {
    if (key === '') throw new StateValidationError(key, [{ path: [], message: 'a key must be a non-empty string' }]);
    initialValues.set(key, guard(key, initialState[key]));
  }
  return { initialState: initialValues, maxHistorySize, snapshotCacheSize: enableSnapshots ? snapshotCacheSize : 0, guard, clock };
}

/** The fields `set` and `delete` take: a write's, and the key's expected version. */
export const KeyWriteOptionsSchema = WriteOptionsSchema.extend({ expectedKeyVersion: SetCommandSchema.shape.expectedKeyVersion });
/** The fields `update` takes: a write's, and each key's expected version. */
export const UpdateOptionsSchema = WriteOptionsSchema.extend({ expectedKeyVersions: UpdateCommandSchema.shape.expectedKeyVersions });
/** The fields `modify` takes: a write's, the draft's starting value, and the key's expected version. */
export const ModifyOptionsSchema = WriteOptionsSchema.extend({
  default: ModifyCommandSchema.shape.default,
  expectedKeyVersion: ModifyCommandSchema.shape.expectedKeyVersion,
});

/** The fields of a history query, checked as the `state.history` command checks them. */
export const HistoryQuerySchema = HistoryCommandSchema.pick({ key: true, limit: true });

/**
 * The error for a call's options with a field `schema` does not name (a
 * misspelling from plain JavaScript, which would otherwise be dropped in
 * silence), or null when every field is named. Only the names are checked
 * here: values are checked where they are used, with their own messages.
 * Options that are not an object are left to that check too.
 */
export function unknownOptions(options: unknown, schema: z.ZodObject): StateValidationError | null {
  if (typeof options !== 'object' || options === null) return null;
  let unknown: string[] | undefined;
  // for...in, as zod's strictObject reads an object: inherited enumerable fields count too.
  for (const field in options) if (!Object.hasOwn(schema.shape, field)) (unknown ??= []).push(field);
  if (unknown === undefined) return null;
  const accepted = Object.keys(schema.shape).join(', ');
  return new StateValidationError(
    null,
    unknown.map((field) => ({ path: [field], message: `unknown option "${field}"; accepted: ${accepted}` })),
  );
}
