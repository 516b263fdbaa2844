/**
 * Issue 13, finding 4: a worker's error is revived by its name. A name that
 * is a key of Object.prototype (valueOf, hasOwnProperty, constructor,
 * __proto__) is a name like any other: it fails the agent with a
 * ThreadSafeStateError of that name and message, and never crashes the
 * main process nor rejects with something that is not an Error.
 */
import { describe, expect, it } from 'vitest';
import { createActor, toPromise } from 'xstate';
import { createThreadSafeState, errorFromPayload, StateKeyError, StateValidationError, ThreadSafeStateError } from 'concord-state';
import { fromWorkerAgent, WorkerAgentError } from 'concord-state/workers';

const NAMES = ['valueOf', 'hasOwnProperty', 'constructor', '__proto__', 'toString', 'isPrototypeOf'];

const namedError = fromWorkerAgent<never, { agentId: string; state: never; errorName: string }>(new URL('./fixtures/namedError.worker.ts', import.meta.url));
const rawFailed = fromWorkerAgent<never, { agentId: string; state: never; error: unknown }>(new URL('./fixtures/rawFailed.worker.ts', import.meta.url));

/** What the agent's actor rejected with. */
const failureOf = (done: Promise<unknown>): Promise<unknown> =>
  done.then(
    () => 'resolved',
    (error: unknown) => error,
  );

describe('error names that are Object.prototype keys', () => {
  it('come back from errorFromPayload as ThreadSafeStateErrors with that name and message', () => {
    for (const name of NAMES) {
      const error = errorFromPayload({ name, message: `named ${name}` });
      expect(error).toBeInstanceOf(ThreadSafeStateError);
      expect({ name: error.name, message: error.message }).toEqual({ name, message: `named ${name}` });
    }
  });

  it('fail a worker agent that throws one with an error of that name and message', { timeout: 60_000 }, async () => {
    const state = createThreadSafeState<Record<string, unknown>>();
    const failures = await Promise.all(
      NAMES.map((errorName) =>
        failureOf(toPromise(createActor(namedError, { input: { agentId: `w-${errorName}`, state: state.actor as never, errorName } }).start())),
      ),
    );
    for (const [i, failure] of failures.entries()) {
      expect(failure).toBeInstanceOf(ThreadSafeStateError);
      expect(failure).toMatchObject({ name: NAMES[i], message: `w-${NAMES[i]} failed` });
    }
    state.stop();
  });

  it('fail a worker agent that posts a raw failed message, whatever its payload holds', { timeout: 60_000 }, async () => {
    const state = createThreadSafeState<Record<string, unknown>>();
    const sparse: unknown[] = [];
    sparse.length = 2 ** 32 - 1;
    const payloads: unknown[] = [
      { name: 'hasOwnProperty', message: 'forged' },
      // Without a message it is not part of the protocol.
      { name: 'hasOwnProperty' },
      // Fields that String() cannot convert, or that claim 2**32 - 1 items.
      { name: 'StateKeyError', message: 'forged', key: { toString: 1 } },
      { name: 'StateKeyError', message: 'forged', key: 'k', availableKeys: sparse },
      { name: 'StateValidationError', message: 'forged', key: 'k', issues: [null, { path: [{ valueOf: 1 }], message: 2 }] },
    ];
    const [own, noMessage, keyError, manyKeys, validation] = await Promise.all(
      payloads.map((error, i) => failureOf(toPromise(createActor(rawFailed, { input: { agentId: `raw-${i}`, state: state.actor as never, error } }).start()))),
    );
    expect(own).toBeInstanceOf(ThreadSafeStateError);
    expect(own).toMatchObject({ name: 'hasOwnProperty', message: 'forged' });
    expect(noMessage).toBeInstanceOf(WorkerAgentError);
    expect(keyError).toBeInstanceOf(StateKeyError);
    expect(keyError).toMatchObject({ key: '[object Object]', availableKeys: [] });
    expect(manyKeys).toMatchObject({ key: 'k', availableKeys: [] });
    expect(validation).toBeInstanceOf(StateValidationError);
    expect(validation).toMatchObject({
      key: 'k',
      issues: [
        { path: [], message: 'undefined' },
        { path: ['[object Object]'], message: '2' },
      ],
    });
    state.stop();
  });
});
