import type { AnyActorRef } from 'xstate';
import { connectInProcess } from '../client/inProcess.ts';
import type { Recipe } from '../protocol.ts';
import type { StateChangeRecord } from '../schemas.ts';
import type { ThreadSafeState, WriteOptions } from '../threadSafeState.ts';

/**
 * What the testing kit drives: the state's commands, all asynchronous, so one
 * model run checks a `ThreadSafeState` and any actor speaking the protocol alike.
 * Failures reject with the library's error classes.
 */
export interface StateSubject {
  set(key: string, value: unknown, options?: WriteOptions): Promise<number>;
  update(values: Record<string, unknown>, options?: WriteOptions): Promise<number>;
  delete(key: string, options?: WriteOptions): Promise<boolean>;
  clear(options?: WriteOptions): Promise<number>;
  modify(key: string, recipe: Recipe, options?: WriteOptions): Promise<unknown>;
  rollback(version: number, options?: WriteOptions): Promise<number>;
  clearHistory(): Promise<void>;
  /** Every key at `version`, or at the current version. */
  snapshot(version?: number): Promise<Readonly<Record<string, unknown>>>;
  history(query?: { key?: string; limit?: number }): Promise<readonly StateChangeRecord[]>;
  version(): Promise<number>;
  /** Releases what the subject holds (stops the state or the reply actor). */
  dispose(): void;
}

/**
 * Drives a `ThreadSafeState` of any shape (the kit writes by string key, so
 * the shape's types are set aside here); its synchronous reads become
 * promises, its throws rejections.
 */
export function subjectFromState<T extends object>(typed: ThreadSafeState<T>): StateSubject {
  const state = typed as unknown as ThreadSafeState<Record<string, unknown>>;
  const attempt = <R>(read: () => R): Promise<R> => {
    try {
      return Promise.resolve(read());
    } catch (error) {
      return Promise.reject(error);
    }
  };
  return {
    set: (key, value, options) => state.set(key, value, options),
    update: (values, options) => state.update(values, options),
    delete: (key, options) => state.delete(key, options),
    clear: (options) => state.clear(options),
    modify: (key, recipe, options) => state.modify(key, recipe, options),
    rollback: (version, options) => state.rollback(version, options),
    clearHistory: () => state.clearHistory(),
    snapshot: (version) => attempt(() => (version === undefined ? state.snapshot() : state.snapshotAt(version))),
    history: (query) => attempt(() => state.getHistory(query)),
    version: () => attempt(() => state.getVersion()),
    dispose: () => state.stop(),
  };
}

/**
 * Drives any actor that speaks the protocol, through the same client agents
 * use: each call is a `state.*` command with a `requestId` and a `replyTo`.
 */
export function subjectFromActor(stateActor: AnyActorRef): StateSubject {
  const { client, dispose } = connectInProcess(stateActor, { agentId: 'testing' });
  return {
    set: (key, value, options) => client.set(key, value, options),
    update: (values, options) => client.update(values, options),
    delete: (key, options) => client.delete(key, options),
    clear: (options) => client.clear(options),
    modify: (key, recipe, options) => client.modify(key, recipe, options),
    rollback: (version, options) => client.rollback(version, options),
    clearHistory: () => client.clearHistory(),
    snapshot: (version) => client.snapshot(version),
    history: (query) => client.history(query),
    version: () => client.version(),
    dispose: () => dispose(),
  };
}
