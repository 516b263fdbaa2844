import type { VersionOrigin } from '../inspect/versionOrigin.ts';
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
  /**
   * Which replica proposed the write that made `version`: its `origin` id and
   * the `label` it was connected with; the same on every replica, one joining
   * later included. Undefined for a version the history window no longer
   * holds, and for one no replica made (0, or one not reached yet).
   *
   * @example
   * const v = await state.set('phase', 'tests', { changedBy: 'planner' });
   * state.originOf(v); // { id: state.origin, label: 'build-box:4242' }
   */
  originOf(version: number): VersionOrigin | undefined;
  /** Resolves once this replica has applied every entry in the stream when it was called; StateUnavailableError after `commandTimeoutMs` without Redis. */
  sync(): Promise<void>;
  /** Waits for this replica's own writes to settle, stops it and closes its connections; later writes reject with StateStoppedError. Each call returns the same promise. */
  close(): Promise<void>;
}
