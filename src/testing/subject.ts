import { createActor, fromCallback, type AnyActorRef } from 'xstate';
import { errorFromPayload } from '../errors.ts';
import type { Recipe, StateCommand, StateReply } from '../protocol.ts';
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
    modify: (key, recipe, options) => state.modify(key, recipe as Parameters<typeof state.modify>[1], options),
    rollback: (version, options) => state.rollback(version, options),
    clearHistory: () => state.clearHistory(),
    snapshot: (version) => attempt(() => (version === undefined ? state.snapshot() : state.snapshotAt(version))),
    history: (query) => attempt(() => state.getHistory(query)),
    version: () => attempt(() => state.getVersion()),
    dispose: () => state.stop(),
  };
}

type CommandWithoutRouting = StateCommand extends infer C ? (C extends StateCommand ? Omit<C, 'requestId' | 'replyTo'> : never) : never;

/**
 * Drives any actor that speaks the protocol: each call is a `state.*` command
 * with a fresh `requestId` and `replyTo` set to a small reply actor.
 */
export function subjectFromActor(stateActor: AnyActorRef): StateSubject {
  const pending = new Map<string, { resolve(result: unknown): void; reject(error: unknown): void }>();
  const replies = createActor(
    fromCallback<StateReply>(({ receive }) => {
      receive((reply) => {
        if (reply.requestId === null) return;
        const waiting = pending.get(reply.requestId);
        pending.delete(reply.requestId);
        if (reply.ok) waiting?.resolve(reply.result);
        else waiting?.reject(errorFromPayload(reply.error));
      });
    }),
  ).start();
  let next = 0;
  const request = <R>(command: CommandWithoutRouting): Promise<R> =>
    new Promise<R>((resolve, reject) => {
      const requestId = `testing-${next++}`;
      pending.set(requestId, { resolve: resolve as (result: unknown) => void, reject });
      stateActor.send({ ...command, requestId, replyTo: replies });
    });
  const writeFields = (options?: WriteOptions) => ({ changedBy: options?.changedBy, expectedVersion: options?.expectedVersion });
  return {
    set: (key, value, options) => request({ type: 'state.set', key, value, ...writeFields(options) }),
    update: (values, options) => request({ type: 'state.update', values, ...writeFields(options) }),
    delete: (key, options) => request({ type: 'state.delete', key, ...writeFields(options) }),
    clear: (options) => request({ type: 'state.clear', ...writeFields(options) }),
    modify: (key, recipe, options) => request({ type: 'state.modify', key, recipe, ...writeFields(options) }),
    rollback: (version, options) => request({ type: 'state.rollback', version, ...writeFields(options) }),
    clearHistory: () => request({ type: 'state.clearHistory' }),
    snapshot: (version) => request({ type: 'state.snapshot', version }),
    history: (query = {}) => request({ type: 'state.history', key: query.key, limit: query.limit }),
    version: () => request({ type: 'state.version' }),
    dispose: () => replies.stop(),
  };
}
