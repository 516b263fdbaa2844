import { describe, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import { createThreadSafeState, fromAgent, runPipeline, StateTimeoutError, StateValidationError, type WorkflowStateShape } from 'concord-state';

type Item = { id: string; data: unknown };
const items: Item[] = ['User', 'Order'].map((id) => ({ id, data: { name: id } }));
const freshState = () =>
  createThreadSafeState<WorkflowStateShape & Record<string, unknown>>({ initialState: { completedSteps: [], completedAgents: [] }, maxHistorySize: 10_000 });
const plain = (snapshot: object) => JSON.parse(JSON.stringify(snapshot)) as unknown;

interface Input {
  agentId: string;
  stage: string;
  item: Item;
}

/** Writes `<stage>.<item>`, after checking the stages it depends on are complete. */
const writer = (dependsOn: string[] = []) =>
  fromAgent(async ({ state }, input: Input & { state: never }) => {
    const done = await state.get<string[]>('completedSteps', []);
    const missing = dependsOn.filter((step) => !done.includes(step));
    if (missing.length > 0) throw new Error(`${input.agentId} started before ${missing.join(', ')}`);
    await state.set(`${input.stage}.${input.item.id}`, input.agentId);
  });

const pipeline = {
  stages: [
    { id: 'parse', agent: 'parse' },
    { id: 'models', agent: 'models', dependsOn: ['parse'] },
    { id: 'validators', agent: 'validators', dependsOn: ['models'] },
    { id: 'tests', agent: 'tests', dependsOn: ['models', 'validators'] },
  ],
};
const agents = { parse: writer(), models: writer(['parse']), validators: writer(['models']), tests: writer(['models', 'validators']) };

describe('a pipeline as a statechart', () => {
  it('runs each stage after its dependencies, one agent per item, and records who did what', async () => {
    const state = freshState();
    const { done } = runPipeline({ pipeline, items, state, agents });
    expect(await done).toEqual({ status: 'completed' });
    expect(state.get('completedSteps')).toEqual(['parse', 'models', 'validators', 'tests']);
    expect([...(state.get('completedAgents') ?? [])].sort()).toEqual(
      ['parse', 'models', 'validators', 'tests'].flatMap((stage) => [`${stage}:Order`, `${stage}:User`]).sort(),
    );
    const byKey = new Map(state.getHistory().map((record) => [record.key, record.changedBy]));
    expect(byKey.get('validators.User')).toBe('validators:User');
  });

  it('a failing agent: the stage is rolled back to the version before it and retried', async () => {
    const state = freshState();
    let failures = 0;
    const flaky = fromAgent(async ({ state: remote }, input: Input & { state: never }) => {
      await remote.set(`models.${input.item.id}`, 'half-done');
      if (input.item.id === 'Order' && failures++ === 0) throw new Error('model generator crashed');
      await remote.set(`models.${input.item.id}`, input.agentId);
    });
    const { done } = runPipeline({
      pipeline: {
        stages: [
          { id: 'parse', agent: 'parse' },
          { id: 'models', agent: 'models', dependsOn: ['parse'], retries: 1 },
        ],
      },
      items,
      state,
      agents: { parse: writer(), models: flaky },
    });
    expect(await done).toEqual({ status: 'completed' });
    expect(failures).toBe(2);
    expect(state.get('models.Order')).toBe('models:Order');
    expect(state.getHistory().some((record) => record.operation === 'rollback' && record.changedBy === 'workflow:models')).toBe(true);
  });

  it('past its retries the run fails with the error, the state exactly as before the failing stage', async () => {
    const state = freshState();
    let before: unknown;
    const broken = fromAgent(async ({ state: remote }, input: Input & { state: never }) => {
      await remote.set(`models.${input.item.id}`, 'partial');
      throw new Error(`no model for ${input.item.id}`);
    });
    const { done } = runPipeline({
      pipeline: {
        stages: [
          { id: 'parse', agent: 'parse' },
          { id: 'models', agent: 'models', dependsOn: ['parse'], retries: 2 },
        ],
      },
      items,
      state,
      agents: {
        parse: fromAgent(async ({ state: remote }, input: Input & { state: never }) => {
          await remote.set(`parse.${input.item.id}`, true);
        }),
        models: broken,
      },
    });
    state.subscribe(() => {
      if ((state.get('completedSteps') ?? []).includes('parse') && before === undefined) before = plain(state.snapshot());
    });
    const output = await done;
    expect(output).toMatchObject({ status: 'failed', stage: 'models', attempts: 3 });
    expect((output.error as Error).message).toMatch(/^no model for /);
    expect(plain(state.snapshot())).toEqual(before);
  });

  it('a stage that does not finish in time fails with StateTimeoutError and is rolled back', async () => {
    const state = freshState();
    const hanging = fromAgent(async ({ state: remote }, input: Input & { state: never }) => {
      await remote.set(`slow.${input.item.id}`, 'started');
      await new Promise(() => undefined);
    });
    const { done } = runPipeline({ pipeline: { stages: [{ id: 'slow', agent: 'slow', timeoutMs: 50 }] }, items, state, agents: { slow: hanging } });
    const output = await done;
    expect(output).toMatchObject({ status: 'failed', stage: 'slow' });
    expect(output.error).toBeInstanceOf(StateTimeoutError);
    expect(state.has('slow.User')).toBe(false);
    expect(state.get('completedSteps')).toEqual([]);
  });

  it('stage timeouts run on the clock given: a simulated clock times a stage out without waiting', async () => {
    const state = freshState();
    const clock = new SimulatedClock();
    const hanging = fromAgent(async ({ state: remote }, input: Input & { state: never }) => {
      await remote.set(`slow.${input.item.id}`, 'started');
      await new Promise(() => undefined);
    });
    const { actor, done } = runPipeline({
      pipeline: { stages: [{ id: 'slow', agent: 'slow', timeoutMs: 60_000 }] },
      items,
      state,
      agents: { slow: hanging },
      clock,
    });
    await state.waitFor((snapshot) => 'slow.User' in snapshot && 'slow.Order' in snapshot);
    clock.increment(59_999);
    expect(actor.getSnapshot().value).toBe('runningWave');
    clock.increment(1);
    const output = await done;
    expect(output).toMatchObject({ status: 'failed', stage: 'slow' });
    expect(output.error).toBeInstanceOf(StateTimeoutError);
    expect(state.has('slow.User')).toBe(false);
  });

  it('cancel stops the running agents and rolls the stage back', async () => {
    const state = freshState();
    const started: string[] = [];
    const hanging = fromAgent(async ({ state: remote, signal }, input: Input & { state: never }) => {
      await remote.set(`slow.${input.item.id}`, 'started');
      started.push(input.agentId);
      await new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason as unknown)));
    });
    const { actor, done } = runPipeline({ pipeline: { stages: [{ id: 'slow', agent: 'slow' }] }, items, state, agents: { slow: hanging } });
    await state.waitFor((snapshot) => 'slow.User' in snapshot && 'slow.Order' in snapshot);
    actor.send({ type: 'cancel' });
    expect(await done).toEqual({ status: 'cancelled', stages: ['slow'] });
    expect(started).toHaveLength(2);
    expect(state.has('slow.User')).toBe(false);
    expect(state.getVersion()).toBe(3);
  });

  it('refuses a pipeline with a cycle or an unknown dependency before running anything', () => {
    const state = freshState();
    const cyclic = {
      stages: [
        { id: 'a', agent: 'x', dependsOn: ['b'] },
        { id: 'b', agent: 'x', dependsOn: ['a'] },
      ],
    };
    expect(() => runPipeline({ pipeline: cyclic, items, state, agents: {} })).toThrow(/cycle/);
    expect(() => runPipeline({ pipeline: { stages: [{ id: 'a', agent: 'x', dependsOn: ['nope'] }] }, items, state, agents: {} })).toThrow(StateValidationError);
    expect(state.getVersion()).toBe(0);
  });
});
