import { describeThrown } from './describeThrown.ts';

/**
 * One base class, one class per failure. Every error carries structured fields
 * and survives a trip through the mailbox: `toPayload` turns it into the plain
 * `{ name, message, ...fields }` of a `state.reply`, and `errorFromPayload`
 * turns it back into the same class on the caller's side.
 */

/** A problem found in a value or command, in the shape zod reports issues. */
export interface ValidationIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/** The plain form of an error inside a `state.reply`. */
export interface ErrorPayload {
  readonly name: string;
  readonly message: string;
  readonly [field: string]: unknown;
}

/** Base class of every error Concord raises. */
export class ThreadSafeStateError extends Error {
  override name = 'ThreadSafeStateError';

  /** The structured fields of this error, without `name` and `message`. */
  protected fields(): Record<string, unknown> {
    return {};
  }

  /** The plain, structured-cloneable form sent in a `state.reply`. */
  toPayload(): ErrorPayload {
    return { name: this.name, message: this.message, ...this.fields() };
  }
}

/** A required key is absent. The message lists the first 10 keys that exist. */
export class StateKeyError extends ThreadSafeStateError {
  override name = 'StateKeyError';
  constructor(
    readonly key: string,
    readonly availableKeys: readonly string[],
  ) {
    const shown = availableKeys.slice(0, 10).join(', ');
    const more = availableKeys.length > 10 ? `, ... (${availableKeys.length} keys in all)` : '';
    super(`Key "${key}" not found in state. Available keys: ${shown || '(none)'}${more}`);
  }
  protected override fields() {
    return { key: this.key, availableKeys: [...this.availableKeys] };
  }
}

/** A version argument is out of range: negative, the current one, or in the future. */
export class StateVersionError extends ThreadSafeStateError {
  override name = 'StateVersionError';
  constructor(
    readonly detail: string,
    readonly currentVersion: number,
    readonly targetVersion: number,
  ) {
    super(`${detail} (current: ${currentVersion}, target: ${targetVersion})`);
  }
  protected override fields() {
    return { detail: this.detail, currentVersion: this.currentVersion, targetVersion: this.targetVersion };
  }
}

/** The history no longer holds every change after the target version. */
export class StateRollbackError extends ThreadSafeStateError {
  override name = 'StateRollbackError';
  constructor(
    readonly detail: string,
    readonly targetVersion: number,
    readonly oldestVersion: number,
  ) {
    super(`${detail} (target: ${targetVersion}, oldest reachable: ${oldestVersion})`);
  }
  protected override fields() {
    return { detail: this.detail, targetVersion: this.targetVersion, oldestVersion: this.oldestVersion };
  }
}

/** A write carried `expectedVersion` and the state had moved on (compare-and-swap failed). */
export class StateConflictError extends ThreadSafeStateError {
  override name = 'StateConflictError';
  constructor(
    readonly expectedVersion: number,
    readonly actualVersion: number,
  ) {
    super(
      `Expected version ${expectedVersion} but the state is at version ${actualVersion}; ` +
        're-read the state and retry, or use modify() for an atomic read-modify-write',
    );
  }
  protected override fields() {
    return { expectedVersion: this.expectedVersion, actualVersion: this.actualVersion };
  }
}

/** A write carried `expectedKeyVersion` and the key had been written since (a compare-and-swap on one key failed). */
export class StateKeyConflictError extends StateConflictError {
  override name = 'StateKeyConflictError';
  constructor(
    readonly key: string,
    expectedKeyVersion: number,
    actualKeyVersion: number,
  ) {
    super(expectedKeyVersion, actualKeyVersion);
    this.message =
      `Expected key "${key}" at version ${expectedKeyVersion} but its last write is version ${actualKeyVersion}; ` +
      're-read it and retry, or use modify(), which retries by itself';
  }
  protected override fields() {
    return { ...super.fields(), key: this.key };
  }
}

/** A key, a value or a whole command failed validation; nothing was changed. */
export class StateValidationError extends ThreadSafeStateError {
  override name = 'StateValidationError';
  constructor(
    readonly key: string | null,
    readonly issues: readonly ValidationIssue[],
  ) {
    const where = key === null ? 'Invalid command' : `Cannot store key "${key}"`;
    super(`${where}: ${issues.map(formatIssue).join('; ')}`);
  }
  protected override fields() {
    return { key: this.key, issues: this.issues.map(plainIssue) };
  }
}

/** An operation did not finish within its timeout. */
export class StateTimeoutError extends ThreadSafeStateError {
  override name = 'StateTimeoutError';
  constructor(
    readonly timeoutMs: number,
    readonly operation: string,
  ) {
    super(`${operation} did not finish within ${timeoutMs} ms`);
  }
  protected override fields() {
    return { timeoutMs: this.timeoutMs, operation: this.operation };
  }
}

/** A `modify` recipe threw (or returned a Promise); the state is unchanged. `causeName` and `causeMessage` say what it threw. */
export class StateRecipeError extends ThreadSafeStateError {
  override name = 'StateRecipeError';
  constructor(
    readonly key: string,
    readonly causeName: string,
    readonly causeMessage: string,
  ) {
    super(`The modify recipe for key "${key}" threw ${causeName}: ${causeMessage}; the state is unchanged`);
  }
  protected override fields() {
    return { key: this.key, causeName: this.causeName, causeMessage: this.causeMessage };
  }
}

/** A worker agent failed without reporting an error of its own: its thread died, exited early, or broke the protocol. */
export class WorkerAgentError extends ThreadSafeStateError {
  override name = 'WorkerAgentError';
}

/** The state was stopped; it takes no more commands. */
export class StateStoppedError extends ThreadSafeStateError {
  override name = 'StateStoppedError';
  constructor(readonly operation: string) {
    super(`Cannot ${operation}: the state has been stopped`);
  }
  protected override fields() {
    return { operation: this.operation };
  }
}

/** What an agent's handle was refused: a key outside its read or write patterns (`key` null for a state-wide operation, or a key it may not read that it did not name); nothing changed. */
export class StateAccessError extends ThreadSafeStateError {
  override name = 'StateAccessError';
  constructor(
    readonly agentId: string,
    readonly key: string | null,
    readonly operation: 'read' | 'write',
  ) {
    const what = key === null ? `${operation} every key this needs (a state-wide operation, or keys it may not see)` : `${operation} key "${key}"`;
    super(`Agent "${agentId}" may not ${what}: it is outside the patterns its handle was given by forAgent()`);
  }
  protected override fields() {
    return { agentId: this.agentId, key: this.key, operation: this.operation };
  }
}

/** Options given to `createThreadSafeState` are invalid. */
export class StateOptionsError extends ThreadSafeStateError {
  override name = 'StateOptionsError';
  constructor(readonly issues: readonly ValidationIssue[]) {
    super(`Invalid options: ${issues.map(formatIssue).join('; ')}`);
  }
  protected override fields() {
    return { issues: this.issues.map(plainIssue) };
  }
}

/** The journal of a durable state could not be read or written: the file and byte offset say where. */
export class StateJournalError extends ThreadSafeStateError {
  override name = 'StateJournalError';
  constructor(
    message: string,
    readonly file: string | null = null,
    readonly offset: number | null = null,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
  protected override fields() {
    // The cause (the failed write's own error) travels as its name and message, so a reply to an agent or the facade carries it too.
    const cause = this.cause === undefined ? null : describeThrown(this.cause);
    return { file: this.file, offset: this.offset, cause };
  }
}

/** Another `openThreadSafeState`, in this process or another, holds the directory. */
export class StateLockedError extends ThreadSafeStateError {
  override name = 'StateLockedError';
  constructor(
    readonly dir: string,
    readonly holderPid: number,
  ) {
    super(`The state directory ${dir} is held by process ${holderPid}: one writer per directory; close() it there first`);
  }
  protected override fields() {
    return { dir: this.dir, holderPid: this.holderPid };
  }
}

/** Symbols cannot cross a structured clone; numbers (array indexes) stay numbers. */
function plainIssue(issue: ValidationIssue): ValidationIssue {
  return { path: issue.path.map((step) => (typeof step === 'symbol' ? String(step) : step)), message: issue.message };
}

function formatIssue(issue: ValidationIssue): string {
  return issue.path.length === 0 ? issue.message : `${issue.path.map(String).join('.')}: ${issue.message}`;
}

const num = (value: unknown): number => (typeof value === 'number' ? value : Number.NaN);
/** A cause that travelled as its name and message, as an Error again. */
const causeOf = (value: unknown): ErrorOptions | undefined => {
  if (typeof value !== 'object' || value === null) return undefined;
  const { name, message } = value as { name?: unknown; message?: unknown };
  const cause = new Error(str(message));
  cause.name = str(name);
  return { cause };
};
// Object.prototype's toString, not the value's own: a cloned `{ toString: 1 }` has no callable one, and String() of it throws.
const str = (value: unknown): string =>
  typeof value === 'string' ? value : typeof value === 'object' && value !== null ? Object.prototype.toString.call(value) : String(value);
// Present items only, by own keys: a cloned sparse array is a few bytes with a length of 2**32 - 1.
const items = (value: unknown): unknown[] => (Array.isArray(value) ? Object.values(value) : []);
const issuesOf = (value: unknown): ValidationIssue[] =>
  items(value).map((issue) => {
    const { path, message } = (typeof issue === 'object' && issue !== null ? issue : {}) as { path?: unknown; message?: unknown };
    return { path: items(path).map((step) => (typeof step === 'number' ? step : str(step))), message: str(message) };
  });

/** A Map, not an object literal: a name such as "valueOf" or "__proto__" must find nothing, not Object.prototype's members. */
const revivers = new Map<string, (p: ErrorPayload) => ThreadSafeStateError>(
  Object.entries({
    StateKeyError: (p) => new StateKeyError(str(p.key), items(p.availableKeys).map(str)),
    StateVersionError: (p) => new StateVersionError(str(p.detail), num(p.currentVersion), num(p.targetVersion)),
    StateRollbackError: (p) => new StateRollbackError(str(p.detail), num(p.targetVersion), num(p.oldestVersion)),
    StateConflictError: (p) => new StateConflictError(num(p.expectedVersion), num(p.actualVersion)),
    StateKeyConflictError: (p) => new StateKeyConflictError(str(p.key), num(p.expectedVersion), num(p.actualVersion)),
    StateValidationError: (p) => new StateValidationError(p.key === null ? null : str(p.key), issuesOf(p.issues)),
    StateTimeoutError: (p) => new StateTimeoutError(num(p.timeoutMs), str(p.operation)),
    StateRecipeError: (p) => new StateRecipeError(str(p.key), str(p.causeName), str(p.causeMessage)),
    StateStoppedError: (p) => new StateStoppedError(str(p.operation)),
    StateOptionsError: (p) => new StateOptionsError(issuesOf(p.issues)),
    WorkerAgentError: (p) => new WorkerAgentError(str(p.message)),
    StateJournalError: (p) =>
      new StateJournalError(str(p.message), p.file === null ? null : str(p.file), p.offset === null ? null : num(p.offset), causeOf(p.cause)),
    StateLockedError: (p) => new StateLockedError(str(p.dir), num(p.holderPid)),
    StateAccessError: (p) => new StateAccessError(str(p.agentId), p.key === null ? null : str(p.key), p.operation === 'read' ? 'read' : 'write'),
  }),
);

/**
 * Rebuilds the error class named in a reply payload, so callers catch the same
 * classes whether an error was raised locally or came back through the mailbox.
 * Any other name (a worker's own error, "constructor") gives a
 * ThreadSafeStateError with that name and message.
 */
export function errorFromPayload(payload: ErrorPayload): ThreadSafeStateError {
  const name = str(payload.name);
  const revive = revivers.get(name);
  if (revive !== undefined) return revive(payload);
  const error = new ThreadSafeStateError(str(payload.message));
  error.name = name;
  return error;
}
