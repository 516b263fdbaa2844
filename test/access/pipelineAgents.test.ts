import { describe, expect, it } from 'vitest';
import { createThreadSafeState, fromAgent, runPipeline, StateAccessError, type AgentInput, type WorkflowStateShape } from 'concord-state';

type Shape = WorkflowStateShape & Record<string, unknown>;
const items = [
  { id: 'a', data: null },
  { id: 'b', data: null },
];

/** Each agent writes its file, reads the plan, and tries to peek at the other stage's key. */
const writer = fromAgent(async ({ state, agentId }, _input: AgentInput) => {
  const plan = await state.get<string>('plan');
  await state.set(`files/${agentId}`, `${plan ?? 'no plan'} by ${agentId}`, { changedBy: 'admin' });
  return state.get('secret').then(
    () => 'read',
    (error: unknown) => (error instanceof StateAccessError ? 'refused' : 'other'),
  );
});

describe("pipeline stages' agents act through handles", () => {
  it('each agent writes what its stage declares, recorded as itself, and cannot read past its stage reads', async () => {
    const state = createThreadSafeState<Shape>({ initialState: { completedSteps: [], completedAgents: [], plan: 'p', secret: 's' } });
    const { done } = runPipeline({
      pipeline: { stages: [{ id: 'gen', agent: 'writer', reads: ['plan', 'files/*'], writes: ['files/*'] }] },
      items,
      state,
      agents: { writer },
    });
    expect(await done).toEqual({ status: 'completed' });
    const files = state.getHistory().filter((record) => record.key.startsWith('files/'));
    expect(files.map((record) => [record.key, record.changedBy]).sort()).toEqual([
      ['files/gen:a', 'gen:a'],
      ['files/gen:b', 'gen:b'],
    ]);
    expect(state.get('files/gen:a')).toBe('p by gen:a');
    // Two refused reads of `secret`: one per agent.
    expect(state.getMetrics().accessDeniedCount).toBe(2);
    state.stop();
  });

  it('a write outside the declared keys fails the stage with StateAccessError, and the wave is rolled back', async () => {
    const state = createThreadSafeState<Shape>({ initialState: { completedSteps: [], completedAgents: [], plan: 'p' } });
    const before = { ...state.snapshot() };
    const trespasser = fromAgent(async ({ state: client, agentId }, _input: AgentInput) => {
      await client.set(`files/${agentId}`, 1);
      await client.set('plan', 'overwritten');
    });
    const { done } = runPipeline({ pipeline: { stages: [{ id: 'gen', agent: 'trespasser', writes: ['files/*'] }] }, items, state, agents: { trespasser } });
    const output = await done;
    expect(output).toMatchObject({ status: 'failed', stage: 'gen' });
    expect(output.status === 'failed' && output.error).toBeInstanceOf(StateAccessError);
    expect({ ...state.snapshot() }).toEqual(before);
    state.stop();
  });
});
