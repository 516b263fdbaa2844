import { StateConflictError, StateValidationError, ThreadSafeStateError, type ErrorPayload } from '../errors.ts';
import { StateCommandSchema, type CommandOf, type MalformedEvent, type StateCommand, type StateReply, type WriteCommand } from '../protocol.ts';
import type { MetricsRecorder } from '../metrics/metricsRecorder.ts';
import { routingField } from '../eventGuard.ts';
import { ABSENT } from '../store/versionedStore.ts';
import { cloneStored } from '../values/clone.ts';
import { takeChecked } from './checkedCommand.ts';
import { commit, type Change } from './commit.ts';
import { commitEffect } from './logStep.ts';
import { planWrite } from './planWrite.ts';
import { readSnapshot, readValue } from './reads.ts';
import type { StateContext } from './stateContext.ts';

/** The part of the context one command changes. */
export type ContextUpdate = Pick<StateContext, 'lastReply' | 'lastCommit'> & Partial<Pick<StateContext, 'version' | 'lastLogged'>>;

const commandTypes: ReadonlySet<string> = new Set(StateCommandSchema.options.map((option) => option.shape.type.value));

/**
 * Validates and applies one event (a `set` the facade checked itself is not
 * parsed again). Never throws: whatever goes wrong becomes an error reply,
 * and a rejected command changes nothing but `rejectedCount`.
 */
export function applyCommand(context: StateContext, event: StateCommand | MalformedEvent): ContextUpdate {
  // Everything, the parse included, runs inside the try: a hostile getter or
  // Proxy in an event must become an error reply, never an exception that
  // would stop the actor.
  try {
    if (takeChecked(event)) return applyWrite(context, event);
    const parsed = StateCommandSchema.safeParse(event);
    if (!parsed.success) {
      const issues = describeInvalid(event) ?? parsed.error.issues.map(({ path, message }) => ({ path, message }));
      return reject(context, event, new StateValidationError(keyOf(event), issues));
    }
    const command = parsed.data;
    if (isWrite(command)) return applyWrite(context, command);
    if (command.type === 'state.clearHistory') {
      // Not a write: the content and the version stay; only the window closes.
      refuseIfLogFailed(context);
      context.history.dropAll(context.version);
      const lastLogged = context.log?.append({ kind: 'clearHistory', version: context.version }, context) ?? null;
      return { lastReply: ok(command.requestId, undefined), lastCommit: null, lastLogged };
    }
    if (command.type === 'state.markKnownGood') {
      // Not a write either: a mark names the current version.
      refuseIfLogFailed(context);
      const mark = { version: context.version, label: command.label ?? null, timestamp: command.timestamp ?? context.clock() };
      context.marks.add(mark);
      const lastLogged = context.log?.append({ kind: 'markKnownGood', ...mark }, context) ?? null;
      return { lastReply: ok(command.requestId, context.version), lastCommit: null, lastLogged };
    }
    return { lastReply: ok(command.requestId, answerQuery(context, command)), lastCommit: null };
  } catch (error) {
    return reject(context, event, error);
  }
}

function applyWrite(context: StateContext, command: WriteCommand): ContextUpdate {
  const started = context.metrics.shouldTime() ? performance.now() : -1;
  refuseIfLogFailed(context);
  if (command.expectedVersion !== undefined && command.expectedVersion !== context.version) {
    throw new StateConflictError(command.expectedVersion, context.version);
  }
  const plan = planWrite(context, command);
  if (plan.changes.length === 0) return { lastReply: ok(command.requestId, plan.result), lastCommit: null };
  const applied = commit(context, plan.changes, {
    changedBy: command.changedBy ?? null,
    timestamp: command.timestamp ?? context.clock(),
  });
  countWrite(context.metrics, command.type, plan.changes);
  if (started >= 0) context.metrics.recordWrite((performance.now() - started) * 1000);
  const lastLogged = context.log?.append(commitEffect(applied), context) ?? null;
  return { version: applied.version, lastReply: ok(command.requestId, plan.result), lastCommit: applied, lastLogged };
}

/** A log that failed takes no more writes: refused before anything is applied, so memory never runs ahead of it. */
function refuseIfLogFailed(context: StateContext): void {
  const refusal = context.log?.refusal();
  if (refusal) throw refusal;
}

function answerQuery(context: StateContext, command: Exclude<StateCommand, WriteCommand | CommandOf<'state.clearHistory'>>): unknown {
  switch (command.type) {
    case 'state.get': {
      const value = readValue(context, command.key);
      return value === ABSENT ? command.default : cloneStored(value);
    }
    case 'state.snapshot':
      return cloneStored(readSnapshot(context, command.version));
    case 'state.history':
      return cloneStored(context.history.newestFirst(command.key, command.limit));
    case 'state.metrics':
      return context.metrics.read();
    case 'state.version':
      return context.version;
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

function ok(requestId: string | undefined, result: unknown): StateReply {
  return { type: 'state.reply', requestId: requestId ?? null, ok: true, result };
}

/** The reply that refuses a command with `error`. */
export function errorReply(requestId: string | null, error: unknown): StateReply {
  const payload: ErrorPayload =
    error instanceof ThreadSafeStateError
      ? error.toPayload()
      : { name: error instanceof Error ? error.name : 'Error', message: error instanceof Error ? error.message : String(error) };
  return { type: 'state.reply', requestId, ok: false, error: payload };
}

function reject(context: StateContext, event: unknown, error: unknown): ContextUpdate {
  context.metrics.rejectedCount++;
  const requestId = routingField(event, 'requestId');
  return { lastReply: errorReply(typeof requestId === 'string' ? requestId : null, error), lastCommit: null };
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
