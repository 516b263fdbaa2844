import { StateAccessError } from '../errors.ts';
import type { StateCommand } from '../protocol.ts';
import type { Change } from '../commands/commit.ts';
import type { StateEngine } from '../commands/stateEngine.ts';
import type { Grant } from './grants.ts';

/** The refusal of `grant`'s agent for `key`, counted in the state's metrics. */
function denied(engine: StateEngine, grant: Grant, key: string | null, operation: 'read' | 'write'): StateAccessError {
  engine.metrics.accessDeniedCount++;
  return new StateAccessError(grant.agentId, key, operation);
}

function requireRead(engine: StateEngine, grant: Grant, key: string): void {
  if (!grant.read.matches(key)) throw denied(engine, grant, key, 'read');
}

function requireWrite(engine: StateEngine, grant: Grant, key: string): void {
  if (!grant.write.matches(key)) throw denied(engine, grant, key, 'write');
}

/**
 * Refuses, before anything is planned, a command that names a key outside
 * its agent's patterns: writes by their keys, `modify` and `get` by the key
 * they read too, and the two operations that bind every agent (a known-good
 * mark, dropping the history) unless the agent may write every key. Writes
 * whose keys depend on the state (clear, rollbacks, retain) are checked on
 * their plan by `checkChanges`. Throws StateAccessError.
 */
export function checkCommand(engine: StateEngine, grant: Grant, command: StateCommand): void {
  switch (command.type) {
    case 'state.set':
    case 'state.delete':
      // A key's version tells when it was written: reading it takes read access.
      if (command.expectedKeyVersion !== undefined) requireRead(engine, grant, command.key);
      return requireWrite(engine, grant, command.key);
    case 'state.modify':
      requireRead(engine, grant, command.key);
      return requireWrite(engine, grant, command.key);
    case 'state.update':
      for (const key of Object.keys(command.values)) requireWrite(engine, grant, key);
      for (const key of Object.keys(command.expectedKeyVersions ?? {})) requireRead(engine, grant, key);
      return;
    case 'state.get':
    case 'state.keyVersion':
      return requireRead(engine, grant, command.key);
    case 'state.history':
      if (command.key !== undefined) requireRead(engine, grant, command.key);
      return;
    case 'state.markKnownGood':
    case 'state.clearHistory':
      if (!grant.write.all) throw denied(engine, grant, null, 'write');
      return;
    default:
      return;
  }
}

/** Refuses a planned write whole when one key it would change is outside the agent's write patterns. Throws StateAccessError. */
export function checkChanges(engine: StateEngine, grant: Grant, changes: readonly Change[]): void {
  for (const { key } of changes) {
    // The state found this key, the agent did not name it: one it may not read stays unnamed, so no refusal lists hidden keys.
    if (!grant.write.matches(key)) throw denied(engine, grant, grant.read.matches(key) ? key : null, 'write');
  }
}

/** A snapshot with only the keys `grant` may read, null prototype, frozen. */
export function readableSnapshot<S extends object>(grant: Grant, snapshot: S): S {
  if (grant.read.all) return snapshot;
  const readable = Object.create(null) as Record<string, unknown>;
  for (const [key, value] of Object.entries(snapshot)) if (grant.read.matches(key)) readable[key] = value;
  return Object.freeze(readable) as S;
}
