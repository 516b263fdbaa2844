import type { StateShape, ThreadSafeState } from '../threadSafeState.ts';

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
  /** Resolves once this replica has applied every entry in the stream when it was called; StateUnavailableError after `commandTimeoutMs` without Redis. */
  sync(): Promise<void>;
  /** Waits for this replica's own writes to settle, stops it and closes its connections; later writes reject with StateStoppedError. Each call returns the same promise. */
  close(): Promise<void>;
}
