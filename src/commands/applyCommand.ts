import { checkChanges, checkCommand, readableSnapshot } from '../access/enforceAccess.ts';
import { StateConflictError, StateValidationError } from '../errors.ts';
import {
  StateCommandSchema,
  type CommandOf,
  type MalformedEvent,
  type StateCommand,
  type StateOutcome,
  type StateReply,
  type WriteCommand,
} from '../protocol.ts';
import type { MetricsRecorder } from '../metrics/metricsRecorder.ts';
import { routingField } from '../eventGuard.ts';
import { ABSENT } from '../store/versionedStore.ts';
import { cloneStored } from '../values/clone.ts';
import { takeChecked } from './checkedCommand.ts';
import { commit, type Change } from './commit.ts';
import { refuseStaleKeys } from './keyVersions.ts';
import { commitEffect } from './logStep.ts';
import { planWrite } from './planWrite.ts';
import { readSnapshot, readValue } from './reads.ts';
import { payloadOf } from './thrown.ts';
import type { Commit, StateEngine } from './stateEngine.ts';

/** What one command leaves for the actor's snapshot: its answer, the write it applied, and when the log took it. */
export interface CommandOutcome {
  /** The request id its reply carries. */
  readonly requestId: string | null;
  /** Its reply without the request id: built once, and a reply object only for a receiver that needs one (see replyOf). */
  readonly outcome: StateOutcome;
  readonly lastCommit: Commit | null;
  /** Resolves once the log has taken the command's effect: its reply waits for it. Null when nothing was logged. */
  readonly lastLogged: Promise<void> | null;
}

const commandTypes: ReadonlySet<string> = new Set(StateCommandSchema.options.map((option) => option.shape.type.value));

/**
 * Validates and applies one event (a `set` the facade checked itself is not
 * parsed again). Never throws: whatever goes wrong becomes an error reply,
 * and a rejected command changes nothing but `rejectedCount`.
 */
export function applyCommand(engine: StateEngine, event: StateCommand | MalformedEvent): CommandOutcome {
  // Everything, the parse included, runs inside the try: a hostile getter or
  // Proxy in an event must become an error reply, never an exception that
  // would stop the actor.
  try {
    if (takeChecked(event)) {
      // An agent's set is refused for its key before its value is checked: a schema's message must not describe a key it may not write.
      if (event.grant !== undefined) checkCommand(engine, event.grant, event);
      return applyWrite(engine, event);
    }
    const parsed = StateCommandSchema.safeParse(event);
    if (!parsed.success) {
      const issues = describeInvalid(event) ?? parsed.error.issues.map(({ path, message }) => ({ path, message }));
      return reject(engine, event, new StateValidationError(keyOf(event), issues));
    }
    const command = parsed.data;
    if (command.grant !== undefined) checkCommand(engine, command.grant, command);
    if (isWrite(command)) return applyWrite(engine, command);
    if (command.type === 'state.clearHistory') {
      // Not a write: the content and the version stay; only the window closes.
      refuseIfLogFailed(engine);
      engine.history.dropAll(engine.version);
      const lastLogged = engine.log?.append({ kind: 'clearHistory', version: engine.version }, engine) ?? null;
      return answered(command.requestId, undefined, null, lastLogged);
    }
    if (command.type === 'state.markKnownGood') {
      // Not a write either: a mark names the current version.
      refuseIfLogFailed(engine);
      const mark = { version: engine.version, label: command.label ?? null, timestamp: command.timestamp ?? engine.clock() };
      engine.marks.add(mark);
      const lastLogged = engine.log?.append({ kind: 'markKnownGood', ...mark }, engine) ?? null;
      return answered(command.requestId, engine.version, null, lastLogged);
    }
    return answered(command.requestId, answerQuery(engine, command), null, null);
  } catch (error) {
    return reject(engine, event, error);
  }
}

function applyWrite(engine: StateEngine, command: WriteCommand): CommandOutcome {
  const started = engine.metrics.shouldTime() ? performance.now() : -1;
  refuseIfLogFailed(engine);
  if (command.expectedVersion !== undefined && command.expectedVersion !== engine.version) {
    throw new StateConflictError(command.expectedVersion, engine.version);
  }
  refuseStaleKeys(engine, command);
  const plan = planWrite(engine, command);
  if (command.grant !== undefined) checkChanges(engine, command.grant, plan.changes);
  if (plan.changes.length === 0) return answered(command.requestId, plan.result, null, null);
  // An agent's command is recorded as its agent's: the grant, not the command, says who it is.
  const applied = commit(engine, plan.changes, command.grant?.agentId ?? command.changedBy ?? null, command.timestamp ?? engine.clock());
  countWrite(engine.metrics, command.type, plan.changes);
  if (started >= 0) engine.metrics.recordWrite((performance.now() - started) * 1000);
  const lastLogged = engine.log?.append(commitEffect(applied), engine) ?? null;
  return answered(command.requestId, plan.result, applied, lastLogged);
}

/** A log that failed takes no more writes: refused before anything is applied, so memory never runs ahead of it. */
function refuseIfLogFailed(engine: StateEngine): void {
  const refusal = engine.log?.refusal();
  if (refusal) throw refusal;
}

function answerQuery(engine: StateEngine, command: Exclude<StateCommand, WriteCommand | CommandOf<'state.clearHistory'>>): unknown {
  switch (command.type) {
    case 'state.get': {
      const value = readValue(engine, command.key);
      return value === ABSENT ? command.default : cloneStored(value);
    }
    case 'state.snapshot': {
      const snapshot = readSnapshot(engine, command.version);
      return cloneStored(command.grant === undefined ? snapshot : readableSnapshot(command.grant, snapshot));
    }
    case 'state.history':
      return cloneStored(engine.history.newestFirst(command.key, command.limit, command.grant?.read.matches));
    case 'state.metrics':
      return engine.metrics.read();
    case 'state.version':
      return engine.version;
    case 'state.keyVersion':
      return engine.store.keyVersion(command.key);
  }
}

function countWrite(metrics: MetricsRecorder, type: WriteCommand['type'], changes: readonly Change[]): void {
  if (type === 'state.rollback' || type === 'state.rollbackToKnownGood') metrics.rollbackCount++;
  else if (type === 'state.delete' || type === 'state.clear' || type === 'state.retain') metrics.deleteCount += changes.length;
  else metrics.setCount += changes.length;
}

function isWrite(command: StateCommand): command is WriteCommand {
  switch (command.type) {
    case 'state.set':
    case 'state.update':
    case 'state.delete':
    case 'state.clear':
    case 'state.modify':
    case 'state.rollback':
    case 'state.rollbackToKnownGood':
    case 'state.retain':
      return true;
    default:
      return false;
  }
}

function answered(requestId: string | undefined, result: unknown, lastCommit: Commit | null, lastLogged: Promise<void> | null): CommandOutcome {
  return { requestId: requestId ?? null, outcome: Object.freeze({ ok: true, result }), lastCommit, lastLogged };
}

/** How a command refused with `error` ended. */
export function errorOutcome(error: unknown): StateOutcome {
  return Object.freeze({ ok: false, error: Object.freeze(payloadOf(error)) });
}

/** The reply that carries `outcome`, for a receiver that reads replies (an actor, the snapshot's `lastReply`). */
export function replyOf(requestId: string | null, outcome: StateOutcome): StateReply {
  const reply: StateReply = outcome.ok
    ? { type: 'state.reply', requestId, ok: true, result: outcome.result }
    : { type: 'state.reply', requestId, ok: false, error: outcome.error };
  return Object.freeze(reply);
}

/** The reply that refuses a command with `error`. */
export function errorReply(requestId: string | null, error: unknown): StateReply {
  return replyOf(requestId, errorOutcome(error));
}

function reject(engine: StateEngine, event: unknown, error: unknown): CommandOutcome {
  engine.metrics.rejectedCount++;
  const requestId = routingField(event, 'requestId');
  return { requestId: typeof requestId === 'string' ? requestId : null, outcome: errorOutcome(error), lastCommit: null, lastLogged: null };
}

function fieldOf(event: unknown, field: string): unknown {
  try {
    return typeof event === 'object' && event !== null ? (event as Record<string, unknown>)[field] : undefined;
  } catch {
    return undefined;
  }
}

function keyOf(event: unknown): string | null {
  const key = fieldOf(event, 'key');
  return typeof key === 'string' ? key : null;
}

/** A clearer message than zod's for the two ways an event can miss entirely. */
function describeInvalid(event: StateCommand | MalformedEvent) {
  if (event.type === 'state.malformed') return [{ path: [], message: event.reason }];
  if (!commandTypes.has(event.type)) {
    return [{ path: ['type'], message: `unknown command "${String(event.type)}"; expected one of ${[...commandTypes].join(', ')}` }];
  }
  return undefined;
}
