import type { Draft } from 'immer';
import type { z } from 'zod';
import { countDeniedRead } from '../machines/state.logic.ts';
import { AgentStateHandle, checkedGrant, type HandleOwner } from './access/agentState.ts';
import type { AgentAccess } from './access/grants.ts';
import { ChangeFeed, type ChangeListener, type WaitForOptions } from './changeFeed.ts';
import { openReplyChannel, type ReplyChannel } from './client/replyChannel.ts';
import { RequestTable } from './client/requestTable.ts';
import { stampWrite, type StampOptions, type WriteStamp } from './client/stampWrite.ts';
import { checkedOptions, checkedSet, type CheckedSet } from './commands/checkedCommand.ts';
import type { StateConfig } from './commands/stateEngine.ts';
import type { StateReader } from './commands/stateReader.ts';
import { StateKeyError, StateStoppedError, StateValidationError } from './errors.ts';
import { resolveInspector } from './inspect/ambient.ts';
import {
  createStateConfig,
  HistoryQuerySchema,
  KeyWriteOptionsSchema,
  ModifyOptionsSchema,
  unknownOptions,
  UpdateOptionsSchema,
  type SchemaStateOptions,
  type ThreadSafeStateOptions,
} from './options.ts';
import { WriteOptionsSchema, type CommandOf, type Recipe, type StateCommand, type WriteCommand } from './protocol.ts';
import type { KnownGoodMark, StateChangeRecord, StateMetrics } from './schemas.ts';
import { createAgentActor, createStateActor, localDoor, type StateActor } from './stateActor.ts';
import { ABSENT } from './store/versionedStore.ts';
import type {
  AgentState,
  HistoryQuery,
  KeyWriteOptions,
  ModifyOptions,
  UpdateOptions,
  StateKey,
  StateShape,
  StateSnapshot,
  ThreadSafeState,
  WriteOptions,
} from './threadSafeState.ts';
import { cloneStored } from './values/clone.ts';
import { assertKey } from './values/stateKey.ts';
import { detached, detachedValues } from './values/detached.ts';
import type { StateObjectSchema } from './values/valueGuard.ts';

/** The facade over a state actor; a durable state extends it with its journal. */
export class ActorBackedState<T extends object> implements ThreadSafeState<T> {
  readonly actor: StateActor;
  readonly #requests = new RequestTable('concord');
  /** Where the state answers this facade, and no one else can (see ReplyChannel). */
  readonly #inbox: ReplyChannel;
  readonly #feed: ChangeFeed<StateSnapshot<T>>;
  readonly #stamp: WriteStamp;
  /** The state as it reads: reads are served from it, never through the mailbox. */
  readonly #reader: StateReader;
  #stopped = false;

  /** `log` and `restore` come from a durable state's journal. */
  constructor(options: ThreadSafeStateOptions<T>, durable: Pick<StateConfig, 'log' | 'restore'> = {}) {
    const config: StateConfig = { ...createStateConfig(options), ...durable };
    this.#stamp = { clock: config.clock };
    const inspector = resolveInspector(options.inspect);
    this.#inbox = openReplyChannel((requestId, outcome) => void this.#requests.answer(requestId, outcome));
    this.actor = createStateActor(config, inspector.inspect);
    const reader = this.actor.getSnapshot().context.reader;
    this.#reader = reader;
    this.#feed = new ChangeFeed(
      () => this.snapshot(),
      (predicate) => reader.peek((view) => predicate(view as StateSnapshot<T>)),
    );
    this.actor.subscribe({
      next: ({ context }) => {
        if (context.lastCommit !== null) this.#feed.publish(context.lastCommit);
      },
      // However the actor stopped (stop(), or its system stopping), nothing waits forever.
      complete: () => this.#closeAfterStop(),
      error: () => this.#closeAfterStop(),
    });
    // The inspector reads keys of any name: to it every state is a record.
    try {
      inspector.concord?.attachState(this as unknown as ThreadSafeState<Record<string, unknown>>);
    } catch (error) {
      // The caller gets no state: leave no running actor behind either.
      this.actor.stop();
      throw error;
    }
  }

  get<K extends StateKey<T>, D = undefined>(key: K, defaultValue?: D): T[K] | D {
    const value = this.#reader.latest(key);
    // A primitive (ABSENT is a symbol) needs no copy: the common read stops at this check.
    if (typeof value !== 'object' || value === null) return value === ABSENT ? (defaultValue as D) : (value as T[K]);
    return cloneStored(value as T[K]);
  }

  getRequired<K extends StateKey<T>>(key: K): T[K] {
    const value = this.#reader.latest(key);
    if (value === ABSENT) throw new StateKeyError(key, this.keys());
    return cloneStored(value as T[K]);
  }

  getWithFallback<K extends StateKey<T>, D = undefined>(key: K, fallbackKeys: readonly StateKey<T>[], defaultValue?: D): T[StateKey<T>] | D {
    for (const candidate of [key, ...fallbackKeys]) {
      const value = this.#reader.latest(candidate);
      if (value !== ABSENT) return cloneStored(value as T[StateKey<T>]);
    }
    return defaultValue as D;
  }

  has(key: string): boolean {
    assertKey(key);
    return this.#reader.has(key);
  }

  keys(): StateKey<T>[] {
    return this.#reader.keys() as StateKey<T>[];
  }

  get size(): number {
    return this.#reader.size;
  }

  getVersion(): number {
    return this.#reader.version;
  }

  keyVersion(key: StateKey<T>): number {
    assertKey(key);
    return this.#reader.keyVersion(key);
  }

  snapshot(): StateSnapshot<T> {
    return this.#reader.snapshot() as StateSnapshot<T>;
  }

  snapshotAt(version: number): StateSnapshot<T> {
    if (!Number.isInteger(version)) {
      throw new StateValidationError(null, [{ path: ['version'], message: `a version must be an integer, received ${String(version)}` }]);
    }
    return this.#reader.snapshot(version) as StateSnapshot<T>;
  }

  getHistory(query: HistoryQuery<T> = {}): StateChangeRecord[] {
    const refused = unknownOptions(query, HistoryQuerySchema);
    if (refused !== null) throw refused;
    const { key, limit } = query;
    if (key !== undefined) assertKey(key);
    if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0)) {
      throw new StateValidationError(null, [{ path: ['limit'], message: `limit must be an integer >= 0, received ${String(limit)}` }]);
    }
    return this.#reader.history(key, limit);
  }

  getMetrics(): StateMetrics {
    return this.#reader.metrics();
  }

  set<K extends StateKey<T>>(key: K, value: T[K], options?: KeyWriteOptions): Promise<number> {
    const fields = checkedOptions(options);
    if (fields !== null && typeof key === 'string' && key !== '' && !this.#stopped) {
      // Every field is known good here: the actor skips parsing it (the common write, made cheaper).
      let timestamp: number;
      try {
        timestamp = (this.#stamp.clock as () => number)();
      } catch (error) {
        return Promise.reject(error);
      }
      const stored = detached(key, value);
      if (Number.isFinite(timestamp)) {
        // Sent as #send does, without a closure to build the command: the hot path's one allocation fewer.
        const [requestId, reply] = this.#requests.open<number>();
        this.#deliver(requestId, checkedSet(key, stored, timestamp, requestId, fields, this.#inbox));
        return reply;
      }
      // A clock that returns no finite number: the actor's parse refuses the command with a typed error.
      return this.#request(() => ({ type: 'state.set', key, value: stored, ...fields, timestamp }));
    }
    return this.#write(() => ({ type: 'state.set', key, value: detached(key, value) }), options, KeyWriteOptionsSchema);
  }

  update(values: Partial<T>, options?: UpdateOptions<T>): Promise<number> {
    return this.#write(() => ({ type: 'state.update', values: detachedValues(values) as Record<string, unknown> }), options, UpdateOptionsSchema);
  }

  delete(key: StateKey<T>, options?: KeyWriteOptions): Promise<boolean> {
    return this.#write(() => ({ type: 'state.delete', key }), options, KeyWriteOptionsSchema);
  }

  clear(options?: WriteOptions): Promise<number> {
    return this.#write(() => ({ type: 'state.clear' }), options);
  }

  modify<K extends StateKey<T>>(key: K, recipe: (draft: Draft<T[K]>) => T[K] | void | undefined, options?: ModifyOptions<T[K]>): Promise<T[K]> {
    return this.#write(
      () => {
        const command: CommandOf<'state.modify'> = { type: 'state.modify', key, recipe: recipe as Recipe };
        if (typeof options === 'object' && options !== null && 'default' in options) command.default = detached(key, options.default);
        return command;
      },
      options,
      ModifyOptionsSchema,
    );
  }

  rollback(targetVersion: number, options?: WriteOptions): Promise<number> {
    return this.#write(() => ({ type: 'state.rollback', version: targetVersion }), options);
  }

  markKnownGood(label?: string): Promise<number> {
    return this.#request(() => ({ type: 'state.markKnownGood', ...(label === undefined ? {} : { label }), timestamp: (this.#stamp.clock as () => number)() }));
  }

  getKnownGoodMarks(): KnownGoodMark[] {
    return this.#reader.knownGoodMarks();
  }

  rollbackToLastKnownGood(options?: WriteOptions): Promise<number> {
    return this.#write(() => ({ type: 'state.rollbackToKnownGood' }), options);
  }

  recoverFromCorruptedState(knownGoodKeys: readonly string[], options?: WriteOptions): Promise<number> {
    return this.#write(() => ({ type: 'state.retain', keys: [...knownGoodKeys] }), options);
  }

  clearHistory(): Promise<void> {
    return this.#request(() => ({ type: 'state.clearHistory' }));
  }

  waitFor(predicate: (snapshot: StateSnapshot<T>) => boolean, options?: WaitForOptions): Promise<StateSnapshot<T>> {
    return this.#feed.waitFor(predicate, options);
  }

  subscribe(listener: ChangeListener): () => void {
    return this.#feed.subscribe(listener);
  }

  forAgent(agentId: string, access?: AgentAccess): AgentState<T> {
    const reader = this.#reader;
    const owner: HandleOwner<T> = {
      state: this,
      countDenied: () => countDeniedRead(reader),
      openActor: (grant) => createAgentActor(localDoor(this.actor, grant)),
    };
    return new AgentStateHandle(owner, checkedGrant(agentId, access));
  }

  stop(): void {
    this.actor.stop();
    this.#closeAfterStop();
  }

  #closeAfterStop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    // After the command running now (a recipe that called stop()) has had its reply: it was applied, and says so.
    queueMicrotask(() => {
      const error = new StateStoppedError('complete a command');
      this.#requests.rejectAll(error);
      this.#feed.close(error);
    });
  }

  /** Sends a write stamped with who and when; `accepted` names the fields the options may have. */
  #write<R>(build: () => WriteCommand, options: StampOptions | undefined, accepted: z.ZodObject = WriteOptionsSchema): Promise<R> {
    return this.#request(() => stampWrite(build(), options, this.#stamp, accepted));
  }

  /** Sends one command; its reply settles the promise. Never throws: a write's every failure is a rejection. */
  #request<R>(build: () => StateCommand): Promise<R> {
    if (this.#stopped) return Promise.reject(new StateStoppedError('send a command'));
    let command: StateCommand;
    try {
      command = build();
    } catch (error) {
      // e.g. an options object whose getter throws: nothing was sent, nothing is pending.
      return Promise.reject(error);
    }
    command.replyTo = this.#inbox;
    return this.#send((requestId) => ((command.requestId = requestId), command));
  }

  #send<R>(withRequestId: (requestId: string) => StateCommand): Promise<R> {
    const [requestId, reply] = this.#requests.open<R>();
    this.#deliver(requestId, withRequestId(requestId));
    return reply;
  }

  #deliver(requestId: string, command: StateCommand | CheckedSet): void {
    try {
      this.actor.send(command);
    } catch (error) {
      // An inspector threw before the command was delivered: it never will be, so it must not block the replies behind it.
      this.#requests.cancel(requestId, error);
    }
  }
}

// Shared by every state: code patching it would see, and act through, every state of the process.
Object.freeze(ActorBackedState.prototype);

/**
 * Creates shared, versioned state over one XState actor, typed by its schema.
 *
 * @example
 * const state = createThreadSafeState({ schema: z.object({ counter: z.number() }) });
 * await state.modify('counter', (n) => n + 1, { default: 0 }); // n: number
 */
export function createThreadSafeState<S extends StateObjectSchema>(options: SchemaStateOptions<S>): ThreadSafeState<z.output<S>>;
/**
 * Creates shared, versioned state over one XState actor, typed by `T`.
 *
 * @example
 * const state = createThreadSafeState<{ counter: number }>({ initialState: { counter: 0 } });
 * await state.modify('counter', (n) => (n ?? 0) + 1, { changedBy: 'agent-1' });
 * state.get('counter'); // 1
 */
export function createThreadSafeState<T extends object = StateShape>(options?: ThreadSafeStateOptions<T>): ThreadSafeState<T>;
export function createThreadSafeState<T extends object>(options: ThreadSafeStateOptions<T> = {}): ThreadSafeState<T> {
  return new ActorBackedState<T>(options);
}
