import { grantOfOptions } from '../access/grants.ts';
import { z } from 'zod';
import { StateValidationError } from '../errors.ts';
import { unknownOptions } from '../options.ts';
import { checkedKey } from '../values/stateKey.ts';
import type { ValueGuard } from '../values/valueGuard.ts';
import type { Proposal, WireWrite } from './streamEntry.ts';

/** A write's options as `schema` parses them: a field it does not name, or of the wrong type, throws StateValidationError. */
export function optionsParsedBy<S extends z.ZodObject>(options: unknown, schema: S): z.infer<S> {
  if (options === undefined) return {} as z.infer<S>;
  const refused = unknownOptions(options, schema);
  if (refused !== null) throw refused;
  const parsed = schema.safeParse(options);
  if (!parsed.success)
    throw new StateValidationError(
      null,
      parsed.error.issues.map(({ path, message }) => ({ path, message })),
    );
  return parsed.data;
}

/**
 * A write stamped at the proposing replica, with its clock's time: the time
 * every replica records; and, when `given` (the caller's options) come from
 * an agent's handle, the agent and its patterns, which every replica checks.
 */
export function stamped(
  write: WireWrite,
  options: { changedBy?: string | undefined; expectedVersion?: number | undefined },
  clock: () => number,
  given?: unknown,
): Proposal {
  const timestamp = clock();
  if (!Number.isFinite(timestamp)) {
    throw new StateValidationError(null, [
      { path: ['timestamp'], message: `the clock must return a finite number of milliseconds, returned ${String(timestamp)}` },
    ]);
  }
  const proposal: Proposal = { write, timestamp, changedBy: options.changedBy ?? null };
  if (options.expectedVersion !== undefined) proposal.expectedVersion = options.expectedVersion;
  const grant = grantOfOptions(given);
  if (grant !== undefined) proposal.agent = { agentId: grant.agentId, ...grant.access };
  return proposal;
}

/** An update's values as entries, each checked as the local state will check it; an own `__proto__` key stays a key. */
export function updateEntries(values: unknown, guard: ValueGuard): [string, unknown][] {
  const proto: unknown = typeof values === 'object' && values !== null ? Object.getPrototypeOf(values) : undefined;
  if (Array.isArray(values) || (proto !== Object.prototype && proto !== null)) {
    throw new StateValidationError(null, [{ path: ['values'], message: 'values must be a plain object of key -> value' }]);
  }
  return Object.keys(values as object).map((key) => {
    const value = (values as Record<string, unknown>)[key];
    guard(checkedKey(key), value);
    return [key, value];
  });
}
