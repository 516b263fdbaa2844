import type { Draft } from 'immer';
import type { z } from 'zod';
import { WaitForOptionsSchema } from '../changeFeed.ts';
import { StateStoppedError, StateTimeoutError } from '../errors.ts';
import { HistoryQuerySchema, KeyWriteOptionsSchema, ModifyOptionsSchema, unknownOptions, UpdateOptionsSchema } from '../options.ts';
import { WriteOptionsSchema, type Recipe, type StateCommand, type WriteCommand } from '../protocol.ts';
import { readReply } from './readReply.ts';
import { RequestTable } from './requestTable.ts';
import { stampWrite, type StampOptions, type WriteStamp } from './stampWrite.ts';
import type { StateChangeRecord } from '../schemas.ts';
import type { HistoryQuery, KeyWriteOptions, ModifyOptions, UpdateOptions, StateKey, StateShape, WriteOptions } from '../threadSafeState.ts';

/** A command as a client sends it: the transport adds where the reply goes. */
export type OutgoingCommand = StateCommand extends infer C ? (C extends StateCommand ? Omit<C, 'replyTo'> : never) : never;

/** How a client reaches the state actor: in-process, or across a MessagePort. */
export interface StateTransport {
  /**
   * Delivers a command; its `state.reply` must come back through
   * `StateClient.receive`. The command is a fresh object of the client's
   * own, so the transport may add to it (where the reply goes) without a copy.
   */
  send(command: OutgoingCommand): void;
  /** Calls `listener` with the new version after every applied write; returns the unsubscribe function. */
  watch(listener: (version: number) => void): () => void;
  /** Calls `listener` once the state has stopped (at once if it already has), where the transport can tell. */
  watchStop?(listener: () => void): void;
}

/** Options of a state client. */
export interface StateClientOptions {
  /** Recorded as `changedBy` on every write. */
  agentId: string;
  /** A reply that has not come after this many milliseconds rejects with StateTimeoutError. @default 5000 */
  replyTimeoutMs?: number;
}

/**
 * Any string for a shape that types neither keys nor values (the default
 * record: any key, unknown values), never for one that does: the forms taking
 * it, where the caller names the value's type, are the untyped client's only.
 */
type UntypedKey<T extends object> = string extends StateKey<T> ? (StateShape extends T ? string : never) : never;

/** The fields of the client's `waitFor` options: it takes no signal. */
const ClientWaitForSchema = WaitForOptionsSchema.pick({ timeout: true });

/**
 * The state as an agent sees it: every call is a `state.*` command through
 * the mailbox, correlated with its reply by `requestId`, values coming back
 * as copies. Writes carry the agent's id as `changedBy`. `T` is the shape the
 * agent expects (nothing checks it here: the state's own schema checks writes).
 *
 * @example
 * // An agent's client, typed by the shape it names (see fromAgent).
 * fromAgent<{ done: string[] }>()(async ({ state }, input: AgentInput) => {
 *   const done = await state.get('done'); // string[] | undefined
 *   await state.set('done', [...(done ?? []), input.agentId]);
 * });
 */
export class StateClient<T extends object = StateShape> {
  readonly #transport: StateTransport;
  readonly #agentId: string;
  readonly #requests: RequestTable;
  readonly #stamp: WriteStamp;
  #closedWith: { reason: unknown } | null = null;
  /** Ends each open waitFor with a reason, so that closing leaves none pending nor subscribed. */
  readonly #waits = new Set<(reason: unknown) => void>();

  constructor(transport: StateTransport, options: StateClientOptions) {
    this.#transport = transport;
    this.#agentId = options.agentId;
    this.#requests = new RequestTable(options.agentId, options.replyTimeoutMs ?? 5000);
    this.#stamp = { changedBy: options.agentId };
    // A stopped state answers nothing: waiting out the reply timeout would only delay the same news.
    transport.watchStop?.(() => this.close(new StateStoppedError('complete a command')));
  }

  /**
   * Hands the client a reply; replies to other senders' requests, and
   * anything that is not a well-formed reply, are ignored.
   */
  receive(event: unknown): void {
    const reply = readReply(event);
    if (reply !== null) this.#requests.settle(reply);
  }

  /** Rejects every request still waiting, and every later one: the agent has stopped. */
  close(reason: unknown): void {
    this.#closedWith ??= { reason };
    for (const end of [...this.#waits]) end(reason);
    this.#requests.rejectAll(reason);
  }

  /** Untyped clients: a copy of the value, as the type the caller names, or `defaultValue` when the key is absent. */
  get<V = unknown>(key: UntypedKey<T>, defaultValue?: V): Promise<V>;
  /** A copy of the value, or undefined when the key is absent. */
  get<K extends StateKey<T>>(key: K): Promise<T[K] | undefined>;
  /** A copy of the value, or `defaultValue` when the key is absent. */
  get<K extends StateKey<T>, D>(key: K, defaultValue: D): Promise<T[K] | D>;
  get(key: string, defaultValue?: unknown): Promise<unknown> {
    return this.#send(defaultValue === undefined ? { type: 'state.get', key } : { type: 'state.get', key, default: defaultValue });
  }

  set<K extends StateKey<T>>(key: K, value: T[K], options?: KeyWriteOptions): Promise<number> {
    // The common write, with no options: the one literal stampWrite would make of it, without its steps (docs/performance.md).
    if (options === undefined) return this.#send({ type: 'state.set', key, value, changedBy: this.#agentId });
    return this.#sendWrite({ type: 'state.set', key, value }, options, KeyWriteOptionsSchema);
  }

  update(values: Partial<T>, options?: UpdateOptions<T>): Promise<number> {
    return this.#sendWrite({ type: 'state.update', values: values as Record<string, unknown> }, options, UpdateOptionsSchema);
  }

  delete(key: StateKey<T>, options?: KeyWriteOptions): Promise<boolean> {
    return this.#sendWrite({ type: 'state.delete', key }, options, KeyWriteOptionsSchema);
  }

  /** Untyped clients: the recipe's draft is the type the caller names. In-process only: a recipe is a function and cannot cross a MessagePort. */
  modify<V = unknown>(key: UntypedKey<T>, recipe: Recipe<V>, options?: ModifyOptions<V>): Promise<V>;
  /** Atomic read-modify-write of a key, starting from `default` when it is absent. In-process only. */
  modify<K extends StateKey<T>>(
    key: K,
    recipe: (draft: Draft<T[K]>) => T[K] | void | undefined,
    options: ModifyOptions<T[K]> & { default: T[K] },
  ): Promise<T[K]>;
  /** Atomic read-modify-write of a key; the draft is undefined when it is absent. In-process only. */
  modify<K extends StateKey<T>>(key: K, recipe: (draft: Draft<T[K]> | undefined) => T[K] | void | undefined, options?: ModifyOptions<T[K]>): Promise<T[K]>;
  modify(key: string, recipe: (draft: never) => unknown, options?: ModifyOptions<unknown>): Promise<unknown> {
    const command: Extract<OutgoingCommand, { type: 'state.modify' }> = { type: 'state.modify', key, recipe: recipe as Recipe };
    if (typeof options === 'object' && options !== null && 'default' in options) command.default = options.default;
    return this.#sendWrite(command, options, ModifyOptionsSchema);
  }

  clear(options?: WriteOptions): Promise<number> {
    return this.#sendWrite({ type: 'state.clear' }, options);
  }

  clearHistory(): Promise<void> {
    return this.request({ type: 'state.clearHistory' });
  }

  rollback(version: number, options?: WriteOptions): Promise<number> {
    return this.#sendWrite({ type: 'state.rollback', version }, options);
  }

  /** A copy of every key, at the current version or at `version`. */
  snapshot(version?: number): Promise<Partial<T>> {
    return this.request({ type: 'state.snapshot', ...(version === undefined ? {} : { version }) });
  }

  history(query: HistoryQuery<T> = {}): Promise<StateChangeRecord[]> {
    const refused = unknownOptions(query, HistoryQuerySchema);
    if (refused !== null) return Promise.reject(refused);
    return this.request({ type: 'state.history', ...query });
  }

  version(): Promise<number> {
    return this.request({ type: 'state.version' });
  }

  /** The version of the key's last write, a delete included; 0 for a key never written. With `expectedKeyVersion`, a compare-and-swap on that key alone. */
  keyVersion(key: StateKey<T> | UntypedKey<T>): Promise<number> {
    return this.request({ type: 'state.keyVersion', key });
  }

  /**
   * Resolves with the first snapshot for which `predicate` holds: checked at
   * once and after each applied write (told by the transport, no polling).
   */
  waitFor(predicate: (snapshot: Partial<T>) => boolean, options: { timeout?: number } = {}): Promise<Partial<T>> {
    if (this.#closedWith !== null) return Promise.reject(this.#closedWith.reason);
    const refused = unknownOptions(options, ClientWaitForSchema);
    if (refused !== null) return Promise.reject(refused);
    return new Promise((resolve, reject) => {
      let checking = false;
      let recheck = false;
      let done = false;
      const finish = (settle: () => void) => {
        done = true;
        this.#waits.delete(end);
        unwatch();
        clearTimeout(timer);
        settle();
      };
      const end = (reason: unknown) => finish(() => reject(reason));
      this.#waits.add(end);
      const check = async (): Promise<void> => {
        if (checking) {
          recheck = true;
          return;
        }
        checking = true;
        try {
          do {
            recheck = false;
            const snapshot = await this.snapshot();
            if (done) return;
            if (predicate(snapshot)) return finish(() => resolve(snapshot));
          } while (recheck && !done);
        } catch (error) {
          if (!done) finish(() => reject(error));
        } finally {
          checking = false;
        }
      };
      const unwatch = this.#transport.watch(() => void check());
      const timer =
        options.timeout === undefined
          ? undefined
          : setTimeout(() => finish(() => reject(new StateTimeoutError(options.timeout as number, 'waitFor'))), options.timeout);
      void check();
    });
  }

  /** Sends a write stamped with who made it; options with a field `accepted` does not name are refused. */
  #sendWrite<R>(
    command: Extract<OutgoingCommand, { type: WriteCommand['type'] }>,
    options: StampOptions | undefined,
    accepted: z.ZodObject = WriteOptionsSchema,
  ): Promise<R> {
    try {
      return this.#send(stampWrite(command, options, this.#stamp, accepted));
    } catch (refused) {
      return Promise.reject(refused);
    }
  }

  /**
   * Sends any command of the protocol and resolves with its reply's result
   * (rejects with the reply's typed error, or StateTimeoutError). The typed
   * methods above are this with the fields filled in; `changedBy` defaults to
   * the agent's id here too.
   */
  request<R = unknown>(command: OutgoingCommand): Promise<R> {
    // A copy of the caller's command, which the transport may add to.
    return this.#send({ changedBy: this.#agentId, ...command });
  }

  /**
   * Sends `command`, a fresh object of the client's own. The frequent
   * commands are built as one object literal, cheaper to build and to check
   * than one assembled from spreads (docs/performance.md).
   */
  #send<R>(command: OutgoingCommand): Promise<R> {
    // A stopped agent's code may still be running: it must not write any more.
    if (this.#closedWith !== null) return Promise.reject(this.#closedWith.reason);
    const [requestId, reply] = this.#requests.open<R>(command.type);
    command.requestId = requestId;
    try {
      this.#transport.send(command);
    } catch (error) {
      this.#requests.cancel(requestId, error);
    }
    return reply;
  }
}
