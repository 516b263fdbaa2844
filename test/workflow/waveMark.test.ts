import { describe, expect, it } from 'vitest';
import { createThreadSafeState, fromAgent, runPipeline, type AgentInput, type WorkflowStateShape } from 'concord-state';

type Shape = WorkflowStateShape & Record<string, unknown>;

/** Writes at once, before awaiting anything: the earliest an agent can write. */
const eager = fromAgent(async ({ state, agentId }, _input: AgentInput) => {
  await Promise.all([state.set(`a/${agentId}`, 1), state.set(`b/${agentId}`, 2)]);
});

describe("a wave's known-good mark", () => {
  it('names the version the wave began at, before any of its agents wrote', async () => {
    const state = createThreadSafeState<Shape>({ initialState: { completedSteps: [], completedAgents: [] } });
    await state.set('before', true); // v1
    const { done } = runPipeline({
      pipeline: { stages: [{ id: 'gen', agent: 'eager' }] },
      items: [
        { id: 'x', data: null },
        { id: 'y', data: null },
      ],
      state,
      agents: { eager },
    });
    expect(await done).toEqual({ status: 'completed' });
    const marks = state.getKnownGoodMarks().filter((mark) => mark.label === 'pipeline wave: gen');
    expect(marks.map((mark) => mark.version)).toEqual([1]);
    state.stop();
  });
});

describe('a resumed wave', () => {
  it('undoes every write of the interrupted attempt, its first ones included, and runs it once more', async () => {
    const state = createThreadSafeState<Shape>({ initialState: { completedSteps: [], completedAgents: [] } });
    let attempts = 0;
    const counter = fromAgent(async ({ state: client }, _input: AgentInput) => {
      attempts++;
      await client.modify<number>('counter', (n) => n + 1, { default: 0 });
      // The first attempt stops here, as a process killed mid-wave would.
      if (attempts === 1) await new Promise(() => undefined);
    });
    const options = { pipeline: { stages: [{ id: 'count', agent: 'counter' }] }, items: [{ id: 'only', data: null }], state, agents: { counter } };
    const first = runPipeline(options);
    await state.waitFor((snapshot) => snapshot.counter === 1);
    first.actor.stop();
    expect(await runPipeline({ ...options, resume: true }).done).toEqual({ status: 'completed' });
    expect(state.get('counter')).toBe(1);
    state.stop();
  });
});
