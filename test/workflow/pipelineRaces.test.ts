import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import {
  connectInProcess,
  createThreadSafeState,
  fromAgent,
  runPipeline,
  StateRollbackError,
  StateValidationError,
  type WorkflowStateShape,
} from 'concord-state';
import { fromWorkerAgent } from 'concord-state/workers';

const items = ['A', 'B'].map((id) => ({ id, data: id }));
const freshState = (maxHistorySize = 10_000) =>
  createThreadSafeState<WorkflowStateShape & Record<string, unknown>>({ initialState: { completedSteps: [], completedAgents: [] }, maxHistorySize });
const turns = async (count: number) => {
  for (let i = 0; i < count; i++) await new Promise<void>((resolve) => setImmediate(resolve));
};

/** An agent that ignores its abort signal and writes until its commands are refused (yielding between writes, as real work does). */
const stubborn = fromAgent(async ({ state }, input: { agentId: string; item: { id: string } }) => {
  for (let i = 0; ; i++) {
    await state.set(`busy.${input.item.id}`, i);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
});

describe('pipeline races', () => {
  it('cancel: agents that ignore their signal are stopped before the rollback, and write nothing after it', async () => {
    const state = freshState();
    const { actor, done } = runPipeline({ pipeline: { stages: [{ id: 'busy', agent: 'busy' }] }, items, state, agents: { busy: stubborn } });
    await state.waitFor((snapshot) => 'busy.A' in snapshot && 'busy.B' in snapshot);
    actor.send({ type: 'cancel' });
    expect(await done).toEqual({ status: 'cancelled', stages: ['busy'] });
    const version = state.getVersion();
    await turns(20);
    expect(state.getVersion()).toBe(version);
    expect(state.has('busy.A')).toBe(false);
  });

  it('cancel in the middle of a write: an agent that never yields to the event loop writes nothing after the rollback', async () => {
    const state = freshState();
    // Each reply comes back in the same turn, so this loop runs in microtasks only: nothing waits on a timer or I/O.
    // Bounded, so that if stopping ever failed the test fails instead of starving the event loop.
    const greedy = fromAgent(async ({ state: remote }, input: { agentId: string; item: { id: string } }) => {
      for (let i = 0; i < 200; i++) await remote.set(`greedy.${input.item.id}`, i);
    });
    const { actor, done } = runPipeline({ pipeline: { stages: [{ id: 'greedy', agent: 'greedy' }] }, items, state, agents: { greedy: greedy } });
    // Cancel from inside the state's own notification of a write: the agents' next writes are already one microtask away.
    const unsubscribe = state.subscribe(() => {
      if (state.getVersion() === 10) actor.send({ type: 'cancel' });
    });
    expect(await done).toEqual({ status: 'cancelled', stages: ['greedy'] });
    unsubscribe();
    const version = state.getVersion();
    await turns(20);
    expect(state.getVersion()).toBe(version);
    expect(state.getHistory({ limit: 1 })[0]?.operation).toBe('rollback');
    expect(state.has('greedy.A')).toBe(false);
  });

  it('cancel while a failed stage is being rolled back: the run ends cancelled, the retry does not run', async () => {
    const state = freshState();
    let runs = 0;
    const failing = fromAgent(async ({ state: remote }, input: { agentId: string; item: { id: string } }) => {
      runs++;
      await remote.set(`x.${input.item.id}`, 1);
      throw new Error('fails every time');
    });
    const { actor, done } = runPipeline({
      pipeline: { stages: [{ id: 'x', agent: 'x', retries: 3 }] },
      items: items.slice(0, 1),
      state,
      agents: { x: failing },
    });
    let cancelled = false;
    actor.subscribe((snapshot) => {
      if (snapshot.value !== 'rollingBack' || cancelled) return;
      cancelled = true;
      actor.send({ type: 'cancel' });
    });
    expect(await done).toEqual({ status: 'cancelled', stages: ['x'] });
    expect(runs).toBe(1);
    expect(state.has('x.A')).toBe(false);
  });

  it('a stage too big for the history window: the run fails with the agent’s error, the rollback’s error beside it', async () => {
    const state = freshState(5);
    const noisy = fromAgent(async ({ state: remote }, input: { agentId: string; item: { id: string } }) => {
      for (let i = 0; i < 10; i++) await remote.set(`n.${input.item.id}`, i);
      throw new Error('gave up after 10 writes');
    });
    const output = await runPipeline({ pipeline: { stages: [{ id: 'n', agent: 'n', retries: 2 }] }, items, state, agents: { n: noisy } }).done;
    expect(output).toMatchObject({ status: 'failed', stage: 'n', attempts: 1 });
    expect((output.error as Error).message).toBe('gave up after 10 writes');
    expect(output.rollbackError).toBeInstanceOf(StateRollbackError);
  });

  it('an agent the pipeline was not given is refused before anything runs', () => {
    const state = freshState();
    const run = () =>
      runPipeline({
        pipeline: {
          stages: [
            { id: 'a', agent: 'a' },
            { id: 'b', agent: 'ghost', dependsOn: ['a'] },
          ],
        },
        items,
        state,
        agents: { a: stubborn },
      });
    expect(run).toThrow(StateValidationError);
    expect(run).toThrow(/no agent named "ghost"/);
    expect(state.getVersion()).toBe(0);
  });

  it('a worker agent that fails in a stage: the workflow sees the failure and the stage is rolled back', { timeout: 30_000 }, async () => {
    const state = freshState();
    const failing = fromWorkerAgent(new URL('../agents/fixtures/failingStage.worker.ts', import.meta.url));
    const output = await runPipeline({
      pipeline: { stages: [{ id: 'count', agent: 'count' }] },
      items: items.slice(0, 1),
      state,
      agents: { count: failing },
    }).done;
    expect(output).toMatchObject({ status: 'failed', stage: 'count' });
    expect((output.error as Error).message).toBe('count:A failed on purpose');
    await turns(20);
    expect(state.getVersion()).toBeGreaterThan(0);
    expect(state.has('counter')).toBe(false);
  });

  it('closing a client rejects its open waitFor and drops its watch on the state', async () => {
    const state = createThreadSafeState<Record<string, number>>();
    const { client, dispose } = connectInProcess(state.actor, { agentId: 'waiter' });
    const waiting = client.waitFor(() => false);
    await turns(2);
    dispose(new Error('agent stopped'));
    await expect(waiting).rejects.toThrow('agent stopped');
    await expect(client.set('a', 1)).rejects.toThrow('agent stopped');
    expect(state.getVersion()).toBe(0);
  });
});

describe('a stopped worker agent', () => {
  it('sends nothing more to the state once its actor is stopped', { timeout: 30_000 }, async () => {
    const state = createThreadSafeState<Record<string, number>>({ maxHistorySize: 100_000 });
    const crashing = fromWorkerAgent<unknown, { agentId: string; state: never; times: number }>(
      new URL('../agents/fixtures/crashing.worker.ts', import.meta.url),
    );
    const agent = createActor(crashing, { input: { agentId: 'spammer', state: state.actor as never, times: 1_000_000 } }).start();
    await state.waitFor((snapshot) => (snapshot.counter ?? 0) >= 50, { timeout: 20_000 });
    agent.stop();
    const version = state.getVersion();
    await turns(50);
    expect(state.getVersion()).toBe(version);
  });
});

describe('names that would collide', () => {
  it('items with the same id, or ids with ":", are refused before anything runs', () => {
    const state = freshState();
    const pipeline = { stages: [{ id: 'a', agent: 'a' }] };
    expect(() =>
      runPipeline({
        pipeline,
        items: [
          { id: 'x', data: 1 },
          { id: 'x', data: 2 },
        ],
        state,
        agents: { a: stubborn },
      }),
    ).toThrow(/duplicate item id "x"/);
    expect(() => runPipeline({ pipeline, items: [{ id: 'x:y', data: 1 }], state, agents: { a: stubborn } })).toThrow(StateValidationError);
    expect(state.getVersion()).toBe(0);
  });

  it('a stage called "stage" or with ":" in its id is refused: its agents would be named like stage actors', () => {
    const state = freshState();
    const agents = { a: stubborn };
    expect(() => runPipeline({ pipeline: { stages: [{ id: 'stage', agent: 'a' }] }, items, state, agents })).toThrow(/cannot be called "stage"/);
    expect(() => runPipeline({ pipeline: { stages: [{ id: 'a:b', agent: 'a' }] }, items, state, agents })).toThrow(/cannot contain ":"/);
  });
});

describe('items and agents that are not what they should be', () => {
  it('items that are not an array, or hold null, and agent names inherited from Object are refused with StateValidationError', () => {
    const state = freshState();
    const pipeline = { stages: [{ id: 'a', agent: 'a' }] };
    expect(() => runPipeline({ pipeline, items: null as never, state, agents: { a: stubborn } })).toThrow(StateValidationError);
    expect(() => runPipeline({ pipeline, items: [null] as never, state, agents: { a: stubborn } })).toThrow(StateValidationError);
    expect(() => runPipeline({ pipeline: { stages: [{ id: 'a', agent: 'toString' }] }, items, state, agents: {} })).toThrow(/no agent named "toString"/);
    expect(state.getVersion()).toBe(0);
  });
});
