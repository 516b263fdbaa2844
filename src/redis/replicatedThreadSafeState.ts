import type { Draft } from 'immer';
import type { ModifyOptions, StateKey, StateShape, ThreadSafeState, WriteOptions } from '../threadSafeState.ts';

/** Options of `set` and `delete` on a replicated state. */
export interface KeyWriteOptions extends WriteOptions {
  /** Apply only if the key's last write is this version (`keyVersion(key)`); else reject with StateKeyConflictError and change nothing. */
  expectedKeyVersion?: number;
}

/** Options of `update` on a replicated state. */
export interface UpdateOptions<T extends object> extends WriteOptions {
  /** Apply only if each key named here was last written at its version; else reject with StateKeyConflictError and change nothing. */
  expectedKeyVersions?: Partial<Record<StateKey<T>, number>>;
}

/** Options of `modify` on a replicated state. */
export interface KeyModifyOptions<V> extends ModifyOptions<V> {
  /** Propose only against this key version, once, with no retry; by default the recipe runs against the local value and retries on conflict. */
  expectedKeyVersion?: number;
}

/**
 * A state replicated through a Redis stream: the ThreadSafeState interface,
 * with reads served by the local replica, and writes proposed to the stream
 * and settled when this replica applies them. A `modify` recipe runs here,
 * against the local value, and may run more than once (after another
 * replica wrote the key first): it must be pure.
 */
export interface ReplicatedThreadSafeState<T extends object = StateShape> extends ThreadSafeState<T> {
  /** The state's name: every replica of one name shares it. */
  readonly name: string;
  /** This replica's id in the stream's entries. */
  readonly origin: string;
  /** The version of the key's last write, a delete included (etcd's mod_revision); 0 for a key never written. */
  keyVersion(key: StateKey<T>): number;
  set<K extends StateKey<T>>(key: K, value: T[K], options?: KeyWriteOptions): Promise<number>;
  update(values: Partial<T>, options?: UpdateOptions<T>): Promise<number>;
  delete(key: StateKey<T>, options?: KeyWriteOptions): Promise<boolean>;
  modify<K extends StateKey<T>>(
    key: K,
    recipe: (draft: Draft<T[K]>) => T[K] | void | undefined,
    options: KeyModifyOptions<T[K]> & { default: T[K] },
  ): Promise<T[K]>;
  modify<K extends StateKey<T>>(key: K, recipe: (draft: Draft<T[K]> | undefined) => T[K] | void | undefined, options?: KeyModifyOptions<T[K]>): Promise<T[K]>;
  /** Resolves once this replica has applied every entry in the stream when it was called; StateUnavailableError after `commandTimeoutMs` without Redis. */
  sync(): Promise<void>;
  /** Waits for this replica's own writes to settle, stops it and closes its connections; later writes reject with StateStoppedError. Each call returns the same promise. */
  close(): Promise<void>;
}
