/**
 * Worker agents send the commands of one tick in one message, and get the
 * replies and change notices of one tick in one message, with every
 * command still answered on its own, in order, with its typed error.
 * Messages are counted, never timed.
 */
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createActor, toPromise } from 'xstate';
import { createThreadSafeState, StateCommandSchema } from 'concord-state';
import { fromWorkerAgent, WorkerAgentError, type ToWorker } from 'concord-state/workers';
import { REPLY_WIDTH } from '../../src/workers/replyRows.ts';

type Scenario = 'sets' | 'mixed' | 'uncloneable' | 'exitBeforeFlush' | 'exitAfterFlush' | 'watch';
type Posted = { kind: string; commands?: number; watching?: boolean };
const batchWorker = fromWorkerAgent<{ results: unknown; posted: Posted[] }, { agentId: string; state: never; scenario: Scenario; count: number }>(
  new URL('./fixtures/batch.worker.ts', import.meta.url),
);

/** Every message the agents' side posts to a worker, with the worker it went to. */
function spyOnPosts() {
  const spy = vi.spyOn(Worker.prototype, 'postMessage');
  return () => spy.mock.calls.map(([message], i) => ({ worker: spy.mock.contexts[i] as Worker, message: message as ToWorker }));
}

function run(state: { readonly actor: unknown }, agentId: string, scenario: Scenario, count = 0) {
  return toPromise(createActor(batchWorker, { input: { agentId, state: state.actor as never, scenario, count } }).start());
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('worker agents batch by tick', () => {
  it('send the commands of one tick in one message, and get their replies in one message', { timeout: 30_000 }, async () => {
    const posts = spyOnPosts();
    const state = createThreadSafeState<Record<string, number>>({ maxHistorySize: 1000 });
    const { results, posted } = await run(state, 'w', 'sets', 50);
    // Two ticks of 50 commands: two messages out, two back, each command answered with its own version, in the order sent.
    expect(posted).toEqual([
      { kind: 'rows', commands: 50, watching: false },
      { kind: 'rows', commands: 50, watching: false },
    ]);
    expect(posts().map(({ message }) => message.replies.length / REPLY_WIDTH)).toEqual([50, 50]);
    expect(results).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(state.get('w-49')).toBe(99);
    state.stop();
  });

  it('answer each command of a batch on its own, in order, with its typed error', { timeout: 30_000 }, async () => {
    const state = createThreadSafeState<Record<string, number>>();
    const { results, posted } = await run(state, 'mixed', 'mixed');
    expect(posted).toEqual([{ kind: 'rows', commands: 6, watching: false }]);
    expect(results).toEqual([
      { value: 1 },
      // Applied after the first: the state was at version 1, not 0.
      { error: 'StateConflictError', conflict: true, validation: false },
      { error: 'StateValidationError', conflict: false, validation: true },
      { value: 1 },
      { value: false },
      { value: 2 },
    ]);
    expect(state.get('a')).toBe(4);
    expect(state.getMetrics().rejectedCount).toBe(2);
    state.stop();
  });

  it('have their well-formed sets checked once, on the agent side, and not parsed again by the state actor', { timeout: 30_000 }, async () => {
    const state = createThreadSafeState<Record<string, number>>();
    const parse = vi.spyOn(StateCommandSchema, 'safeParse');
    await run(state, 'sets', 'sets', 20);
    expect(parse).not.toHaveBeenCalled();
    await run(state, 'mixed', 'mixed');
    // The read, the delete and the set with an empty key, which the schema refuses with its typed error.
    expect(parse.mock.calls.map(([command]) => (command as { type: string; key: string }).key)).toEqual(['', 'a', 'missing']);
    state.stop();
  });

  it('refuse only the command structured clone cannot carry; the rest of its tick goes, in order', { timeout: 30_000 }, async () => {
    const state = createThreadSafeState<Record<string, number>>();
    const { results } = await run(state, 'clone', 'uncloneable');
    expect(results).toEqual([{ value: 1 }, { error: 'DataCloneError', conflict: false, validation: false }, { value: 2 }]);
    expect(state.snapshot()).toEqual({ a: 1, b: 2 });
    expect(state.getVersion()).toBe(2);
    state.stop();
  });

  it('keep each worker in its own order while several write at once', { timeout: 30_000 }, async () => {
    const state = createThreadSafeState<Record<string, number>>({ maxHistorySize: 1000 });
    const outputs = await Promise.all(['x', 'y', 'z'].map((agentId) => run(state, agentId, 'sets', 40)));
    for (const [i, agentId] of ['x', 'y', 'z'].entries()) {
      const versions = outputs[i]?.results as number[];
      expect(versions).toEqual([...versions].sort((a, b) => a - b));
      const written = state
        .getHistory({ limit: 1000 })
        .filter((record) => record.changedBy === agentId)
        .reverse()
        .map((record) => record.newValue);
      expect(written).toEqual(Array.from({ length: 80 }, (_, value) => value));
    }
    expect(state.getVersion()).toBe(240);
    state.stop();
  });

  it('send change notices only to a worker that watches, in the same message as its replies', { timeout: 30_000 }, async () => {
    const posts = spyOnPosts();
    const state = createThreadSafeState<Record<string, number>>();
    const watcher = run(state, 'watcher', 'watch', 20);
    // The first reply to it answers its first check: from then on the agents' side knows it watches.
    while (posts().length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    for (let i = 1; i <= 20; i++) await state.set('counter', i);
    const { results, posted } = await watcher;
    expect(results).toEqual({ counter: 20 });
    // It said it watched with its first check, and that it no longer did once the wait was over.
    expect(posted.at(0)).toEqual({ kind: 'rows', commands: 1, watching: true });
    expect(posted.at(-1)).toEqual({ kind: 'rows', commands: 0, watching: false });
    const changed = posts().flatMap(({ message }) => message.changed);
    expect(changed.length).toBeGreaterThan(0);
    expect(changed).toEqual([...changed].sort((a, b) => a - b));
    expect(changed.every((version) => version >= 1 && version <= 20)).toBe(true);
    state.stop();
  });

  it('send no change notices to workers that do not watch', { timeout: 30_000 }, async () => {
    const posts = spyOnPosts();
    const state = createThreadSafeState<Record<string, number>>({ maxHistorySize: 1000 });
    await Promise.all(['p', 'q'].map((agentId) => run(state, agentId, 'sets', 20)));
    expect(posts().length).toBeGreaterThan(0);
    for (const { message } of posts()) expect(message.changed).toEqual([]);
    state.stop();
  });
});

describe('a worker that dies with a batch', () => {
  it('before the tick ends: none of the batch reached the state', { timeout: 30_000 }, async () => {
    const state = createThreadSafeState<Record<string, number>>();
    await expect(run(state, 'early', 'exitBeforeFlush', 100)).rejects.toBeInstanceOf(WorkerAgentError);
    expect(state.getVersion()).toBe(0);
    state.stop();
  });

  it('after its message left: the batch was applied whole, in order', { timeout: 30_000 }, async () => {
    const state = createThreadSafeState<Record<string, number>>({ maxHistorySize: 1000 });
    await expect(run(state, 'late', 'exitAfterFlush', 100)).rejects.toBeInstanceOf(WorkerAgentError);
    // The message arrives whole or not at all: all 100 writes, or none.
    expect([0, 100]).toContain(state.getVersion());
    const keys = state
      .getHistory({ limit: 1000 })
      .reverse()
      .map((record) => record.key);
    expect(keys).toEqual(Array.from({ length: state.getVersion() }, (_, i) => `k${i}`));
    state.stop();
  });

  it('stopped in the middle of a batch: the rest of it is not applied', { timeout: 30_000 }, async () => {
    const state = createThreadSafeState<Record<string, number>>({ maxHistorySize: 1000 });
    const agent = createActor(batchWorker, { input: { agentId: 'stopped', state: state.actor as never, scenario: 'sets', count: 100 } });
    // The 10th write stops the agent from inside the state's own notification, while its batch of 100 is being applied.
    let subscription: { unsubscribe(): void } | undefined;
    const stopped = new Promise<void>((resolve) => {
      subscription = state.actor.subscribe(() => {
        if (state.getVersion() !== 10 || agent.getSnapshot().status === 'stopped') return;
        agent.stop();
        resolve();
      });
    });
    agent.start();
    // Resumed after the message handler returned: the rest of the batch would have been applied by now.
    await stopped;
    expect(agent.getSnapshot().status).toBe('stopped');
    expect(state.getVersion()).toBe(10);
    subscription?.unsubscribe();
    state.stop();
  });
});
