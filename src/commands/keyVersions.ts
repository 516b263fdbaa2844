import { StateKeyConflictError } from '../errors.ts';
import type { WriteCommand } from '../protocol.ts';
import type { StateEngine } from './stateEngine.ts';

function requireKeyVersion(engine: StateEngine, key: string, expected: number): void {
  const actual = engine.store.keyVersion(key);
  if (actual !== expected) throw new StateKeyConflictError(key, expected, actual);
}

/** Refuses a write whose key, or one of whose keys, was written since the version it names (a compare-and-swap per key). Throws StateKeyConflictError. */
export function refuseStaleKeys(engine: StateEngine, command: WriteCommand): void {
  if ('expectedKeyVersion' in command && command.expectedKeyVersion !== undefined) requireKeyVersion(engine, command.key, command.expectedKeyVersion);
  if (command.type === 'state.update' && command.expectedKeyVersions !== undefined) {
    for (const [key, expected] of Object.entries(command.expectedKeyVersions)) requireKeyVersion(engine, key, expected);
  }
}
