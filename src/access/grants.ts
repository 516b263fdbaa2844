import { z } from 'zod';
import { compileKeyPatterns, KeyPatternSchema, type KeyMatcher } from './keyPatterns.ts';

/** What an agent's handle may reach: key patterns (see KeyPatternSchema) to read and to write; omitted means every key. */
export const AgentAccessSchema = z.strictObject({
  read: z.array(KeyPatternSchema).readonly().optional(),
  write: z.array(KeyPatternSchema).readonly().optional(),
});
/** @see AgentAccessSchema */
export type AgentAccess = z.infer<typeof AgentAccessSchema>;

/** An agent id: recorded as `changedBy` on every write its handle makes. */
export const AgentIdSchema = z.string().min(1, 'an agent id must be a non-empty string');

/**
 * One agent's identity and access, as the state checks them. Grants are made
 * only by `issueGrant` and recognised by membership in its private set, never
 * by their shape: a command may carry one, and the state trusts no other.
 */
export interface Grant {
  readonly agentId: string;
  readonly access: AgentAccess;
  readonly read: KeyMatcher;
  readonly write: KeyMatcher;
}

const issued = new WeakSet<object>();

/** A grant for `agentId`; `access` is already checked by AgentAccessSchema. */
export function issueGrant(agentId: string, access: AgentAccess): Grant {
  const grant: Grant = Object.freeze({
    agentId,
    access: Object.freeze({
      ...(access.read ? { read: Object.freeze([...access.read]) } : {}),
      ...(access.write ? { write: Object.freeze([...access.write]) } : {}),
    }),
    read: compileKeyPatterns(access.read),
    write: compileKeyPatterns(access.write),
  });
  issued.add(grant);
  return grant;
}

/** True only for a grant `issueGrant` made. Never throws. */
export function isGrant(value: unknown): value is Grant {
  return typeof value === 'object' && value !== null && issued.has(value);
}

/** A command's `grant` field: only a grant this process issued passes. */
export const GrantSchema = z.custom<Grant>(isGrant, { message: 'grant must come from forAgent(): commands act for an agent only through its handle' });

/**
 * How a write's options carry the handle's grant to the state it wraps: a key
 * no one outside this module can name, so no caller's options can hold it.
 */
export const actingAs: unique symbol = Symbol('concord.actingAs');

/** The grant a write's options carry from a handle, or undefined. Never throws. */
export function grantOfOptions(options: unknown): Grant | undefined {
  try {
    const grant: unknown = typeof options === 'object' && options !== null ? (options as { [actingAs]?: unknown })[actingAs] : undefined;
    return isGrant(grant) ? grant : undefined;
  } catch {
    return undefined;
  }
}
