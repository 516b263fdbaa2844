import type { Draft } from 'immer';
import type { ChangeListener, WaitForOptions } from '../changeFeed.ts';
import { StateAccessError, StateKeyError, StateStoppedError, StateValidationError } from '../errors.ts';
import type { KnownGoodMark, StateChangeRecord, StateMetrics } from '../schemas.ts';
import type {
  AgentActor,
  AgentState,
  HistoryQuery,
  KeyWriteOptions,
  ModifyOptions,
  UpdateOptions,
  StateKey,
  StateSnapshot,
  ThreadSafeState,
  WriteOptions,
} from '../threadSafeState.ts';
import { readableSnapshot } from './enforceAccess.ts';
import { actingAs, AgentAccessSchema, AgentIdSchema, issueGrant, type AgentAccess, type Grant } from './grants.ts';

/** What a state gives the handles it makes: itself, and how to count a read it refused and open an agent's actor. */
export interface HandleOwner<T extends object> {
  readonly state: ThreadSafeState<T>;
  /** Counts a refused read in the state's metrics (`accessDeniedCount`). */
  countDenied(): void;
  /** The actor agents' logic is given for `grant`'s agent (see agentDoorLogic). */
  openActor(grant: Grant): AgentActor;
}

/** Checks forAgent's arguments; throws StateValidationError naming the first problem. */
export function checkedGrant(agentId: unknown, access: unknown): Grant {
  const id = AgentIdSchema.safeParse(agentId);
  if (!id.success) throw new StateValidationError(null, [{ path: ['agentId'], message: id.error.issues[0]?.message ?? 'invalid agent id' }]);
  const parsed = AgentAccessSchema.safeParse(access ?? {});
  if (!parsed.success)
    throw new StateValidationError(
      null,
      parsed.error.issues.map(({ path, message }) => ({ path: ['access', ...path], message })),
    );
  return issueGrant(id.data, parsed.data);
}

/**
 * A state as one agent sees it (see ThreadSafeState.forAgent): reads are the
 * owner's, limited to the keys the agent may read, and refused with
 * StateAccessError for any other key; writes are the owner's, carrying the
 * agent's grant, which the state checks against its write patterns when it
 * applies them and records as `changedBy`.
 */
export class AgentStateHandle<T extends object> implements AgentState<T> {
  readonly agentId: string;
  readonly access: AgentAccess;
  readonly #owner: HandleOwner<T>;
  readonly #state: ThreadSafeState<T>;
  readonly #grant: Grant;
  /** The agent's view of each of the owner's snapshots, made once per version. */
  readonly #views = new WeakMap<object, StateSnapshot<T>>();
  #actor: AgentActor | null = null;
  #released = false;

  constructor(owner: HandleOwner<T>, grant: Grant) {
    this.#owner = owner;
    this.#state = owner.state;
    this.#grant = grant;
    this.agentId = grant.agentId;
    this.access = grant.access;
  }

  get actor(): AgentActor {
    if (this.#released) throw new StateStoppedError(`reach agent "${this.agentId}"'s actor: its handle was released`);
    return (this.#actor ??= this.#owner.openActor(this.#grant));
  }

  release(): void {
    this.#released = true;
    this.#actor?.stop();
  }

  get<K extends StateKey<T>, D = undefined>(key: K, defaultValue?: D): T[K] | D {
    this.#mayRead(key);
    return this.#state.get(key, defaultValue as D);
  }

  getRequired<K extends StateKey<T>>(key: K): T[K] {
    this.#mayRead(key);
    // Not the owner's error: it would list keys the agent may not read.
    if (!this.#state.has(key)) throw new StateKeyError(key, this.keys());
    return this.#state.getRequired(key);
  }

  getWithFallback<K extends StateKey<T>, D = undefined>(key: K, fallbackKeys: readonly StateKey<T>[], defaultValue?: D): T[StateKey<T>] | D {
    // Read once: an iterable that answers differently the second time must not pass the check with one key and read another.
    const fallbacks = [...fallbackKeys];
    for (const candidate of [key, ...fallbacks]) this.#mayRead(candidate);
    return this.#state.getWithFallback(key, fallbacks, defaultValue as D);
  }

  has(key: string): boolean {
    this.#mayRead(key);
    return this.#state.has(key);
  }

  keys(): StateKey<T>[] {
    const keys = this.#state.keys();
    return this.#grant.read.all ? keys : keys.filter((key) => this.#grant.read.matches(key));
  }

  get size(): number {
    return this.#grant.read.all ? this.#state.size : this.keys().length;
  }

  getVersion(): number {
    return this.#state.getVersion();
  }

  keyVersion(key: StateKey<T>): number {
    this.#mayRead(key);
    return this.#state.keyVersion(key);
  }

  snapshot(): StateSnapshot<T> {
    return this.#view(this.#state.snapshot());
  }

  snapshotAt(version: number): StateSnapshot<T> {
    return this.#view(this.#state.snapshotAt(version));
  }

  getHistory(query: HistoryQuery<T> = {}): StateChangeRecord[] {
    if (this.#grant.read.all) return this.#state.getHistory(query);
    const key = typeof query === 'object' && query !== null ? query.key : undefined;
    if (key !== undefined) this.#mayRead(key);
    // The owner checks the query; the agent's records are then the first `limit` of those it may read.
    const { limit, ...rest } = query;
    const records = this.#state.getHistory(rest).filter((record) => this.#grant.read.matches(record.key));
    return limit === undefined ? records : records.slice(0, limit);
  }

  getMetrics(): StateMetrics {
    return this.#state.getMetrics();
  }

  getKnownGoodMarks(): KnownGoodMark[] {
    return this.#state.getKnownGoodMarks();
  }

  set<K extends StateKey<T>>(key: K, value: T[K], options?: KeyWriteOptions): Promise<number> {
    return this.#write((acting) => this.#state.set(key, value, acting), options);
  }

  update(values: Partial<T>, options?: UpdateOptions<T>): Promise<number> {
    return this.#write((acting) => this.#state.update(values, acting), options);
  }

  delete(key: StateKey<T>, options?: KeyWriteOptions): Promise<boolean> {
    return this.#write((acting) => this.#state.delete(key, acting), options);
  }

  clear(options?: WriteOptions): Promise<number> {
    return this.#write((acting) => this.#state.clear(acting), options);
  }

  /** The recipe reads the key: an agent that may not read it is refused before the recipe runs (a replicated state runs it on the proposer). */
  modify<K extends StateKey<T>>(key: K, recipe: (draft: Draft<T[K]>) => T[K] | void | undefined, options?: ModifyOptions<T[K]>): Promise<T[K]> {
    try {
      this.#mayRead(key);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#write(
      (acting) => this.#state.modify(key, recipe as (draft: Draft<T[K]> | undefined) => T[K] | void | undefined, acting as ModifyOptions<T[K]>),
      options,
    );
  }

  rollback(targetVersion: number, options?: WriteOptions): Promise<number> {
    return this.#write((acting) => this.#state.rollback(targetVersion, acting), options);
  }

  rollbackToLastKnownGood(options?: WriteOptions): Promise<number> {
    return this.#write((acting) => this.#state.rollbackToLastKnownGood(acting), options);
  }

  recoverFromCorruptedState(knownGoodKeys: readonly string[], options?: WriteOptions): Promise<number> {
    return this.#write((acting) => this.#state.recoverFromCorruptedState(knownGoodKeys, acting), options);
  }

  /** A mark binds every agent's rollbacks: only an agent that may write every key sets one. */
  markKnownGood(label?: string): Promise<number> {
    return this.#stateWide(() => this.#state.markKnownGood(label));
  }

  /** Dropping the history takes every agent's rollbacks away: only an agent that may write every key does it. */
  clearHistory(): Promise<void> {
    return this.#stateWide(() => this.#state.clearHistory());
  }

  waitFor(predicate: (snapshot: StateSnapshot<T>) => boolean, options?: WaitForOptions): Promise<StateSnapshot<T>> {
    if (this.#grant.read.all) return this.#state.waitFor(predicate, options);
    return this.#state.waitFor(() => predicate(this.snapshot()), options).then((snapshot) => this.#view(snapshot));
  }

  /** Told of each write that changed a key the agent may read, with only those keys' records. */
  subscribe(listener: ChangeListener): () => void {
    if (this.#grant.read.all) return this.#state.subscribe(listener);
    return this.#state.subscribe((commit) => {
      const records = commit.records.filter((record) => this.#grant.read.matches(record.key));
      if (records.length > 0) listener({ version: commit.version, records });
    });
  }

  #mayRead(key: string): void {
    if (typeof key === 'string' && !this.#grant.read.matches(key)) {
      this.#owner.countDenied();
      throw new StateAccessError(this.agentId, key, 'read');
    }
  }

  #view(snapshot: StateSnapshot<T>): StateSnapshot<T> {
    if (this.#grant.read.all) return snapshot;
    let view = this.#views.get(snapshot);
    if (view === undefined) this.#views.set(snapshot, (view = readableSnapshot(this.#grant, snapshot)));
    return view;
  }

  /**
   * A write through the owner, its options carrying the grant; a `changedBy`
   * naming another agent is refused, and the state records the grant's agent.
   */
  #write<R>(write: (acting: WriteOptions) => Promise<R>, options: WriteOptions | undefined): Promise<R> {
    if (this.#released) return Promise.reject(new StateStoppedError(`write as agent "${this.agentId}": its handle was released`));
    let acting: WriteOptions;
    try {
      if (options !== undefined && (typeof options !== 'object' || options === null)) {
        return Promise.reject(
          new StateValidationError(null, [{ path: ['options'], message: `options must be an object, received ${options === null ? 'null' : typeof options}` }]),
        );
      }
      acting = { ...options, [actingAs]: this.#grant } as WriteOptions;
      const { changedBy } = acting;
      if (changedBy !== undefined && changedBy !== this.agentId) {
        return Promise.reject(
          new StateValidationError(null, [
            { path: ['changedBy'], message: `this handle writes as agent "${this.agentId}"; changedBy cannot name "${String(changedBy)}"` },
          ]),
        );
      }
    } catch (error) {
      return Promise.reject(error);
    }
    return write(acting);
  }

  #stateWide<R>(operation: () => Promise<R>): Promise<R> {
    if (this.#released) return Promise.reject(new StateStoppedError(`write as agent "${this.agentId}": its handle was released`));
    if (!this.#grant.write.all) {
      this.#owner.countDenied();
      return Promise.reject(new StateAccessError(this.agentId, null, 'write'));
    }
    return operation();
  }
}
// Shared by every handle: one agent patching it would see, and act through, every other agent's handle.
Object.freeze(AgentStateHandle.prototype);
