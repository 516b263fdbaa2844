import { StateValidationError } from '../errors.ts';
import { StateCommandSchema, type StateCommand, type StateReply } from '../protocol.ts';
import { errorReply } from '../commands/applyCommand.ts';
import { cloneStored } from '../values/clone.ts';
import type { AgentState, StateShape } from '../threadSafeState.ts';

type Handle = AgentState<StateShape>;

/** A write command's compare-and-swap fields as the handle's options; its `changedBy` is the handle's to say, never the command's. */
function expectedOf(command: StateCommand): { expectedVersion?: number; expectedKeyVersion?: number; expectedKeyVersions?: Record<string, number> } {
  const fields = command as { expectedVersion?: number; expectedKeyVersion?: number; expectedKeyVersions?: Record<string, number> };
  return {
    ...(fields.expectedVersion === undefined ? {} : { expectedVersion: fields.expectedVersion }),
    ...(fields.expectedKeyVersion === undefined ? {} : { expectedKeyVersion: fields.expectedKeyVersion }),
    ...(fields.expectedKeyVersions === undefined ? {} : { expectedKeyVersions: fields.expectedKeyVersions }),
  };
}

/** What a command asks of the handle, as the state actor would answer it. */
function run(handle: Handle, command: StateCommand): unknown {
  const expected = expectedOf(command);
  switch (command.type) {
    case 'state.set':
      return handle.set(command.key, command.value, expected);
    case 'state.update':
      return handle.update(command.values, expected);
    case 'state.delete':
      return handle.delete(command.key, expected);
    case 'state.clear':
      return handle.clear(expected);
    case 'state.modify':
      return handle.modify(command.key, command.recipe, 'default' in command ? { ...expected, default: command.default } : expected);
    case 'state.rollback':
      return handle.rollback(command.version, expected);
    case 'state.rollbackToKnownGood':
      return handle.rollbackToLastKnownGood(expected);
    case 'state.retain':
      return handle.recoverFromCorruptedState(command.keys, expected);
    case 'state.markKnownGood':
      return handle.markKnownGood(command.label);
    case 'state.clearHistory':
      return handle.clearHistory();
    case 'state.get':
      return handle.get(command.key, command.default);
    case 'state.snapshot':
      return cloneStored(command.version === undefined ? handle.snapshot() : handle.snapshotAt(command.version));
    case 'state.history':
      return handle.getHistory({
        ...(command.key === undefined ? {} : { key: command.key }),
        ...(command.limit === undefined ? {} : { limit: command.limit }),
      });
    case 'state.metrics':
      return handle.getMetrics();
    case 'state.version':
      return handle.getVersion();
    case 'state.keyVersion':
      return handle.keyVersion(command.key);
  }
}

/**
 * Answers one protocol command through an agent's handle, for a state that
 * has no actor to send it to (a replicated one): checked by the protocol's
 * schema, run as the handle's call, answered as the state actor answers.
 * Never rejects: a failure is an error reply.
 */
export async function runCommand(handle: Handle, event: unknown): Promise<StateReply> {
  const parsed = StateCommandSchema.safeParse(event);
  const requestId = typeof (event as { requestId?: unknown }).requestId === 'string' ? (event as { requestId: string }).requestId : null;
  if (!parsed.success)
    return errorReply(
      requestId,
      new StateValidationError(
        null,
        parsed.error.issues.map(({ path, message }) => ({ path, message })),
      ),
    );
  try {
    const result = await run(handle, parsed.data);
    return { type: 'state.reply', requestId, ok: true, result };
  } catch (error) {
    return errorReply(requestId, error);
  }
}
