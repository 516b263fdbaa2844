import type { Draft } from 'immer';
import type { Redis } from 'ioredis';
import { ChangeFeed, type ChangeListener, type WaitForOptions } from '../changeFeed.ts';
import type { StateConfig } from '../commands/stateEngine.ts';
import { countDeniedRead } from '../../machines/state.logic.ts';
import { AgentStateHandle, checkedGrant, type HandleOwner } from '../access/agentState.ts';
import type { ConcordInspector } from '../inspect/ambient.ts';
import type { VersionOrigin } from '../inspect/versionOrigin.ts';
import type { AgentAccess } from '../access/grants.ts';
import { StateStoppedError } from '../errors.ts';
import { createAgentActor } from '../stateActor.ts';
import { replicatedDoor, type ReplicatedSource } from './replicatedDoor.ts';
import { KeyWriteOptionsSchema, UpdateOptionsSchema, type ThreadSafeStateOptions } from '../options.ts';
import { WriteOptionsSchema, type Recipe } from '../protocol.ts';
import type { KnownGoodMark, StateChangeRecord, StateMetrics } from '../schemas.ts';
import type { StateActor } from '../stateActor.ts';
import type {
  AgentState,
  HistoryQuery,
  KeyWriteOptions,
  ModifyOptions,
  StateKey,
  StateShape,
  UpdateOptions,
  StateSnapshot,
  ThreadSafeState,
  WriteOptions,
} from '../threadSafeState.ts';
import { modifyAcrossProcesses, type ModifyScope } from './modifyAcrossProcesses.ts';
import { openReplica } from './openReplica.ts';
import { optionsParsedBy, stamped, updateEntries } from './proposals.ts';
import { checkedKey } from '../values/stateKey.ts';
import { Proposer } from './proposer.ts';
import type { RedisKeys } from './redisKeys.ts';
import type { RedisOwnOptions } from './redisOptions.ts';
import type { Replica } from './replica.ts';
import type { ReplicatedThreadSafeState } from './replicatedThreadSafeState.ts';
import { encodeProposal, type Proposal, type StreamEntry } from './streamEntry.ts';
import { StreamSync } from './streamSync.ts';
import { SnapshotPublisher } from './snapshotPublisher.ts';
import { TailReader, type TailSink } from './tailReader.ts';

/** What `connectThreadSafeState` hands the state it made. */
export interface ReplicaWiring<T extends object> {
  readonly own: RedisOwnOptions;
  readonly stateOptions: ThreadSafeStateOptions<T>;
  readonly config: StateConfig;
  readonly keys: RedisKeys;
  readonly commands: Redis;
  readonly reader: Redis;
  readonly origin: string;
  readonly replica: Replica<T>;
  /** The inspector to attach this state to, the replica's own state being kept from it (see openReplica). */
  readonly concord: ConcordInspector | undefined;
}

/**
 * The replicated state: reads from the local replica, writes proposed to the
 * stream. The replica is replaced whole when it has to load a snapshot (it
 * fell behind the trimmed stream), so everything callers hold on to
 * (subscribers, waiters) lives here, not in it.
 */
export class ReplicatedState<T extends object> implements ReplicatedThreadSafeState<T> {
  readonly name: string;
  readonly origin: string;
  readonly #wiring: ReplicaWiring<T>;
  readonly #proposer: Proposer;
  readonly #reader: TailReader;
  readonly #syncs: StreamSync;
  readonly #publisher: SnapshotPublisher;
  readonly #feed: ChangeFeed<StateSnapshot<T>>;
  /** What an entry takes beside its payload: the label rides in every one. */
  #replica: Replica<T>;
  #unsubscribe: () => void = () => undefined;
  #closing: Promise<void> | null = null;
  #reloading: Promise<void> | null = null;
  /** What modify reads and proposes through: the replica of the moment, this state's proposals and config. */
  readonly #modifyScope: ModifyScope<T>;
  /** Agents' actors, told when the state closes. */
  readonly #closeListeners = new Set<() => void>();

  constructor(wiring: ReplicaWiring<T>) {
    this.#wiring = wiring;
    this.#modifyScope = {
      replica: () => this.#replica,
      propose: (build) => this.#propose('modify a key', build),
      guard: wiring.config.guard,
      clock: wiring.config.clock,
      maxRetries: wiring.own.maxRetries,
    };
    this.name = wiring.own.name;
    this.origin = wiring.origin;
    this.#replica = wiring.replica;
    this.#feed = new ChangeFeed(
      () => this.snapshot(),
      (predicate) => predicate(this.snapshot()),
    );
    this.#install(wiring.replica);
    // The stream as this replica reads it, from its tail reader and from the read behind each of its appends alike.
    const sink: TailSink = {
      lastId: () => this.#replica.lastId,
      apply: (entries) => this.#apply(entries),
      gap: () => this.#reload(),
      quiet: () => this.#proposer.quiet(),
    };
    this.#proposer = new Proposer(
      wiring.commands,
      wiring.keys.stream,
      { origin: wiring.origin, label: wiring.own.label },
      { timeoutMs: wiring.own.commandTimeoutMs, maxEntryBytes: wiring.own.maxEntryBytes },
      { meta: wiring.keys.meta, sink },
    );
    this.#syncs = new StreamSync(wiring.commands, wiring.keys.stream, wiring.own.commandTimeoutMs);
    this.#publisher = new SnapshotPublisher(wiring.commands, wiring.keys);
    this.#reader = new TailReader(wiring.reader, wiring.keys, wiring.own.blockMs, sink);
    try {
      wiring.concord?.attachState(this.#inspected());
    } catch (error) {
      // The caller gets no state: leave no running actor behind either.
      wiring.replica.state.stop();
      throw error;
    }
    this.#reader.start();
  }

  /** A handle whose writes go through the stream as the agent's entries, checked on every replica; its actor runs the commands it is sent as the handle's calls. */
  forAgent(agentId: string, access?: AgentAccess): AgentState<T> {
    const source: ReplicatedSource = {
      getVersion: () => this.getVersion(),
      isClosed: () => this.#closing !== null,
      subscribe: (listener) => this.subscribe(listener),
      onClose: (listener) => {
        this.#closeListeners.add(listener);
        return () => this.#closeListeners.delete(listener);
      },
    };
    const owner: HandleOwner<T> = {
      state: this,
      countDenied: () => countDeniedRead(this.#replica.state.actor.getSnapshot().context.reader),
      openActor: (grant) => createAgentActor(replicatedDoor(source, handle as unknown as AgentState<StateShape>, grant)),
    };
    const handle = new AgentStateHandle(owner, checkedGrant(agentId, access));
    return handle;
  }

  get actor(): StateActor {
    return this.#replica.state.actor;
  }

  get<K extends StateKey<T>, D = undefined>(key: K, defaultValue?: D): T[K] | D {
    return this.#replica.state.get(key, defaultValue);
  }
  getRequired<K extends StateKey<T>>(key: K): T[K] {
    return this.#replica.state.getRequired(key);
  }
  getWithFallback<K extends StateKey<T>, D = undefined>(key: K, fallbackKeys: readonly StateKey<T>[], defaultValue?: D): T[StateKey<T>] | D {
    return this.#replica.state.getWithFallback(key, fallbackKeys, defaultValue);
  }
  has(key: string): boolean {
    return this.#replica.state.has(key);
  }
  keys(): StateKey<T>[] {
    return this.#replica.state.keys();
  }
  get size(): number {
    return this.#replica.state.size;
  }
  getVersion(): number {
    return this.#replica.state.getVersion();
  }
  keyVersion(key: StateKey<T>): number {
    return this.#replica.keyVersion(checkedKey(key));
  }
  snapshot(): StateSnapshot<T> {
    return this.#replica.state.snapshot();
  }
  snapshotAt(version: number): StateSnapshot<T> {
    return this.#replica.state.snapshotAt(version);
  }
  getHistory(query?: HistoryQuery<T>): StateChangeRecord[] {
    return this.#replica.state.getHistory(query);
  }
  getMetrics(): StateMetrics {
    return this.#replica.state.getMetrics();
  }
  getKnownGoodMarks(): KnownGoodMark[] {
    return this.#replica.state.getKnownGoodMarks();
  }
  originOf(version: number): VersionOrigin | undefined {
    return this.#replica.originOf(version);
  }
  waitFor(predicate: (snapshot: StateSnapshot<T>) => boolean, options?: WaitForOptions): Promise<StateSnapshot<T>> {
    return this.#feed.waitFor(predicate, options);
  }
  subscribe(listener: ChangeListener): () => void {
    return this.#feed.subscribe(listener);
  }

  set<K extends StateKey<T>>(key: K, value: T[K], options?: KeyWriteOptions): Promise<number> {
    return this.#propose('set a key', () => {
      const { expectedKeyVersion, ...rest } = optionsParsedBy(options, KeyWriteOptionsSchema);
      this.#wiring.config.guard(checkedKey(key), value);
      return stamped(
        { type: 'set', key, value, ...(expectedKeyVersion === undefined ? {} : { expectedKeyVersion }) },
        rest,
        this.#wiring.config.clock,
        options,
      );
    });
  }

  update(values: Partial<T>, options?: UpdateOptions<T>): Promise<number> {
    return this.#propose('update keys', () => {
      const { expectedKeyVersions, ...rest } = optionsParsedBy(options, UpdateOptionsSchema);
      const entries = updateEntries(values, this.#wiring.config.guard);
      const expected = expectedKeyVersions === undefined ? {} : { expectedKeyVersions: Object.entries(expectedKeyVersions) };
      return stamped({ type: 'update', entries, ...expected }, rest, this.#wiring.config.clock, options);
    });
  }

  delete(key: StateKey<T>, options?: KeyWriteOptions): Promise<boolean> {
    return this.#propose('delete a key', () => {
      const { expectedKeyVersion, ...rest } = optionsParsedBy(options, KeyWriteOptionsSchema);
      const write = { type: 'delete' as const, key: checkedKey(key), ...(expectedKeyVersion === undefined ? {} : { expectedKeyVersion }) };
      return stamped(write, rest, this.#wiring.config.clock, options);
    });
  }

  clear(options?: WriteOptions): Promise<number> {
    return this.#propose('clear the state', () => stamped({ type: 'clear' }, this.#writeOptions(options), this.#wiring.config.clock, options));
  }

  modify<K extends StateKey<T>>(key: K, recipe: (draft: Draft<T[K]>) => T[K] | void | undefined, options?: ModifyOptions<T[K]>): Promise<T[K]> {
    return modifyAcrossProcesses(this.#modifyScope, key, recipe as Recipe, options) as Promise<T[K]>;
  }

  rollback(targetVersion: number, options?: WriteOptions): Promise<number> {
    return this.#propose('roll back', () =>
      stamped({ type: 'rollback', version: targetVersion }, this.#writeOptions(options), this.#wiring.config.clock, options),
    );
  }

  markKnownGood(label?: string): Promise<number> {
    return this.#propose('mark known good', () => stamped({ type: 'markKnownGood', ...(label === undefined ? {} : { label }) }, {}, this.#wiring.config.clock));
  }

  rollbackToLastKnownGood(options?: WriteOptions): Promise<number> {
    return this.#propose('roll back to the last known-good mark', () =>
      stamped({ type: 'rollbackToKnownGood' }, this.#writeOptions(options), this.#wiring.config.clock, options),
    );
  }

  recoverFromCorruptedState(knownGoodKeys: readonly string[], options?: WriteOptions): Promise<number> {
    return this.#propose('recover from a corrupted state', () =>
      stamped({ type: 'retain', keys: [...knownGoodKeys].map(checkedKey) }, this.#writeOptions(options), this.#wiring.config.clock, options),
    );
  }

  clearHistory(): Promise<void> {
    return this.#propose('clear the history', () => stamped({ type: 'clearHistory' }, {}, this.#wiring.config.clock));
  }

  sync(): Promise<void> {
    if (this.#closing !== null) return Promise.reject(new StateStoppedError('sync'));
    return this.#syncs.sync(() => this.#replica.lastId);
  }

  close(): Promise<void> {
    this.#closing ??= this.#shutDown();
    return this.#closing;
  }

  stop(): void {
    this.close().catch(() => undefined);
  }

  async #shutDown(): Promise<void> {
    await this.#proposer.drained();
    await this.#reader.stop();
    this.#syncs.close(new StateStoppedError('sync'));
    this.#unsubscribe();
    this.#replica.state.stop();
    this.#feed.close(new StateStoppedError('complete a command'));
    for (const listener of this.#closeListeners) listener();
    await this.#wiring.commands.quit().catch(() => undefined);
  }

  #writeOptions(options: WriteOptions | undefined) {
    return optionsParsedBy(options, WriteOptionsSchema);
  }

  /** Builds, checks and sends one proposal; never throws: every failure is a rejection. */
  #propose<R>(operation: string, build: () => Proposal): Promise<R> {
    if (this.#closing !== null) return Promise.reject(new StateStoppedError(operation));
    let payload: Buffer;
    try {
      payload = encodeProposal(build());
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#proposer.propose(payload, operation) as Promise<R>;
  }

  #apply(entries: readonly StreamEntry[]): void {
    const every = this.#wiring.own.snapshotEvery;
    for (const entry of entries) {
      const replica = this.#replica;
      for (const { requestId, outcome } of replica.apply(entry)) {
        if (entry.origin === this.origin) this.#proposer.settle(requestId, outcome);
        else outcome.catch(() => undefined);
      }
      // One replica publishes each snapshot: the one whose entry falls on the boundary.
      if (replica.position % every === 0 && entry.origin === this.origin) this.#publisher.publish(replica.snapshot());
    }
    this.#syncs.reached(this.#replica.lastId);
  }

  /** `#loadSnapshot`, once at a time: the tail reader and every append's read-back may find the same gap. */
  #reload(): Promise<void> {
    this.#reloading ??= this.#loadSnapshot().finally(() => (this.#reloading = null));
    return this.#reloading;
  }

  /** Loads the newest snapshot into a new replica, which replaces this one's: it fell behind what the stream still holds. */
  async #loadSnapshot(): Promise<void> {
    const snapshot = await this.#publisher.load();
    // Closed while the snapshot was on its way: no new replica outlives the state.
    if (snapshot === null || snapshot.position <= this.#replica.position || this.#closing !== null) return;
    const previous = this.#replica;
    const { replica: next, concord } = openReplica(this.#wiring.stateOptions, this.#wiring.config.maxHistorySize, snapshot);
    this.#replica = next;
    this.#install(next);
    // This replica's own writes the snapshot covers will not be read back: told here, with the outcomes the snapshot kept.
    this.#proposer.settleApplied((requestId) => next.fateOf(this.origin, requestId));
    previous.state.stop();
    this.#feed.publish({ version: next.state.getVersion(), records: [] });
    this.#syncs.reached(next.lastId);
    // The inspector let go of this state with the previous actor, and follows one state per actor: attached again, as the new one. A throw is the inspector's: the reads go on.
    concord?.attachState(this.#inspected());
  }

  /** To an inspector every state is a record: it reads keys of any name. */
  #inspected(): ThreadSafeState<Record<string, unknown>> {
    return this as unknown as ThreadSafeState<Record<string, unknown>>;
  }

  #install(replica: Replica<T>): void {
    this.#unsubscribe();
    this.#unsubscribe = replica.state.subscribe((commit) => this.#feed.publish(commit));
  }
}
