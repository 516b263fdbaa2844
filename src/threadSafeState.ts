import type { Draft, Immutable } from 'immer';
import type { ChangeListener, WaitForOptions } from './changeFeed.ts';
import type { KnownGoodMark, StateChangeRecord, StateMetrics } from './schemas.ts';
import type { ActorRef } from 'xstate';
import type { AgentDoorSnapshot } from '../machines/agentDoor.logic.ts';
import type { AgentAccess } from './access/grants.ts';
import type { StateCommand } from './protocol.ts';
import type { StateActor } from './stateActor.ts';

/** The default state shape. A state is typed by any object type (an interface works): key -> value type. */
export type StateShape = Record<string, unknown>;
/** The keys of a state shape. */
export type StateKey<T extends object> = Extract<keyof T, string>;
/** Every key at one version, deep-frozen. */
export type StateSnapshot<T extends object> = Immutable<Partial<T>>;

/** Options every write takes. A field not named here is refused with StateValidationError, and the write changes nothing. */
export interface WriteOptions {
  /** The agent or step making the change, recorded in history. */
  changedBy?: string;
  /** Apply only if the state is at this version; else reject with StateConflictError and change nothing. */
  expectedVersion?: number;
}

/** Options of `set` and `delete`. */
export interface KeyWriteOptions extends WriteOptions {
  /** Apply only if the key's last write is this version (`keyVersion(key)`); else reject with StateKeyConflictError and change nothing. */
  expectedKeyVersion?: number;
}

/** Options of `update`. */
export interface UpdateOptions<T extends object> extends WriteOptions {
  /** Apply only if each key named here was last written at its version; else reject with StateKeyConflictError and change nothing. */
  expectedKeyVersions?: Partial<Record<StateKey<T>, number>>;
}

/** Options of `modify`. */
export interface ModifyOptions<V> extends WriteOptions {
  /** The draft's starting value when the key is absent. */
  default?: V;
  /** Run the recipe only if the key's last write is this version; else reject with StateKeyConflictError (a replicated state then does not retry). */
  expectedKeyVersion?: number;
}

/** Which history records `getHistory` returns. A field not named here is refused with StateValidationError. */
export interface HistoryQuery<T extends object> {
  /** Only records of this key. */
  key?: StateKey<T>;
  /** At most this many, newest first. */
  limit?: number;
}

/**
 * Shared, versioned state over one XState actor. Reads are synchronous and
 * read the actor's current state; writes are commands through its mailbox
 * and return promises settled in mailbox order, rejected (never thrown) on
 * failure.
 */
export interface ThreadSafeState<T extends object = StateShape> {
  /** A copy of the value, or undefined when the key is absent (a stored null is returned as null). */
  get<K extends StateKey<T>>(key: K): T[K] | undefined;
  /** A copy of the value, or `defaultValue` when the key is absent. */
  get<K extends StateKey<T>, D>(key: K, defaultValue: D): T[K] | D;
  /** A copy of the value; throws StateKeyError when the key is absent. */
  getRequired<K extends StateKey<T>>(key: K): T[K];
  /** A copy of the first present value among `key` and then `fallbackKeys`, else `defaultValue`. */
  getWithFallback<K extends StateKey<T>>(key: K, fallbackKeys: readonly StateKey<T>[]): T[StateKey<T>] | undefined;
  getWithFallback<K extends StateKey<T>, D>(key: K, fallbackKeys: readonly StateKey<T>[], defaultValue: D): T[StateKey<T>] | D;
  has(key: string): boolean;
  keys(): StateKey<T>[];
  /** Number of keys present. */
  readonly size: number;
  /** 0 before the first write; +1 per applied write. */
  getVersion(): number;
  /** The version of the key's last write, a delete included (etcd's mod_revision); 0 for a key never written. */
  keyVersion(key: StateKey<T>): number;
  /** Every key, deep-frozen, null prototype; the same object until the next write. */
  snapshot(): StateSnapshot<T>;
  /** The snapshot of an earlier version still in the history window (a time-travel read). */
  snapshotAt(version: number): StateSnapshot<T>;
  /** Change records, newest first. */
  getHistory(query?: HistoryQuery<T>): StateChangeRecord[];
  getMetrics(): StateMetrics;

  /** Sets one key. Resolves with the new version. */
  set<K extends StateKey<T>>(key: K, value: T[K], options?: KeyWriteOptions): Promise<number>;
  /** Sets several keys atomically, as one version with one record per key. Resolves with the new version. */
  update(values: Partial<T>, options?: UpdateOptions<T>): Promise<number>;
  /** Deletes a key. Resolves with true, or false (no new version) when it was absent. */
  delete(key: StateKey<T>, options?: KeyWriteOptions): Promise<boolean>;
  /** Deletes every key, as one version. Resolves with the version after it. */
  clear(options?: WriteOptions): Promise<number>;
  /**
   * Atomic read-modify-write: `recipe` runs inside the mailbox with immer;
   * mutate the draft or return the next value. Resolves with a copy of the new value.
   */
  modify<K extends StateKey<T>>(
    key: K,
    recipe: (draft: Draft<T[K]>) => T[K] | void | undefined,
    options: ModifyOptions<T[K]> & { default: T[K] },
  ): Promise<T[K]>;
  modify<K extends StateKey<T>>(key: K, recipe: (draft: Draft<T[K]> | undefined) => T[K] | void | undefined, options?: ModifyOptions<T[K]>): Promise<T[K]>;
  /** Restores the content of `targetVersion` as a new version. Resolves with the new version. */
  rollback(targetVersion: number, options?: WriteOptions): Promise<number>;
  /** Records the current version as known good (a durable state keeps it); makes no version. Resolves with the version marked. */
  markKnownGood(label?: string): Promise<number>;
  /** The known-good marks still inside the history window, oldest first. */
  getKnownGoodMarks(): KnownGoodMark[];
  /**
   * Restores the newest known-good mark still in the history window, as a new
   * version (none when the state is at that version). Resolves with the version
   * after it; rejects with StateRollbackError when no mark is in the window.
   */
  rollbackToLastKnownGood(options?: WriteOptions): Promise<number>;
  /** Keeps only `knownGoodKeys`: one new version with a delete record for every other key. Resolves with the version after it. */
  recoverFromCorruptedState(knownGoodKeys: readonly string[], options?: WriteOptions): Promise<number>;
  /** Drops every history record; nothing before the current version can be rolled back to afterwards. */
  clearHistory(): Promise<void>;

  /** Resolves with the first snapshot (now or after a later write) for which `predicate` holds. */
  waitFor(predicate: (snapshot: StateSnapshot<T>) => boolean, options?: WaitForOptions): Promise<StateSnapshot<T>>;
  /** Calls `listener` after every applied write. Returns the unsubscribe function. */
  subscribe(listener: ChangeListener): () => void;

  /**
   * A handle for one agent: the same reads and writes, limited to the keys
   * `access` names (key patterns such as `'files/*'`; omitted: every key),
   * with every write recorded as `agentId`'s whatever its options or
   * messages say. Anything outside the patterns is refused with
   * StateAccessError, changes nothing and counts in `accessDeniedCount`.
   * Give agents handles (or `handle.actor`), never this state or its actor.
   */
  forAgent(agentId: string, access?: AgentAccess): AgentState<T>;

  /** The state actor, for other actors to `sendTo`. Registered as `state` in its system. Full access: agents get `forAgent(...).actor`. */
  readonly actor: StateActor;
  /** Stops the actor; later writes reject with StateStoppedError, reads return the last state. */
  stop(): void;
}

/** The actor an agent's logic is given (`AgentState.actor`): commands sent to it act as the agent; its snapshot holds the state's version, no value. */
export type AgentActor = ActorRef<AgentDoorSnapshot, StateCommand>;

/**
 * The state as one agent may use it (see `forAgent`). Reads of keys outside
 * the read patterns throw StateAccessError; `keys`, `size`, snapshots,
 * history, `waitFor` and `subscribe` show only readable keys. Writes outside
 * the write patterns reject with StateAccessError; a write whose keys depend
 * on the state (clear, rollbacks, recoverFromCorruptedState) is refused whole
 * when it would change any key the agent may not write. `markKnownGood` and
 * `clearHistory`, which bind every agent, need write access to every key.
 * It cannot stop the state, hand out its actor, or make other handles.
 */
export interface AgentState<T extends object = StateShape> extends Omit<ThreadSafeState<T>, 'actor' | 'stop' | 'forAgent'> {
  readonly agentId: string;
  /** The patterns it was given. */
  readonly access: AgentAccess;
  /** An actor for the agent's logic (`fromAgent`, `fromWorkerAgent`, `sendTo`): commands sent to it act as this agent. Made on first use. */
  readonly actor: AgentActor;
  /** Stops its actor; later writes through the handle reject with StateStoppedError. The state goes on. */
  release(): void;
}
