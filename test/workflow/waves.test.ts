import { describe, expect, it } from 'vitest';
import type { AnyActorRef, InspectedSnapshotEvent, InspectionEvent } from 'xstate';
import { createThreadSafeState, fromAgent, runPipeline, type StageAgentInput } from 'concord-state';

type Shape = { completedSteps: string[]; completedAgents: string[] } & Record<string, unknown>;
const items = ['User', 'Order'].map((id) => ({ id, data: id }));
const freshState = (inspect?: (event: InspectionEvent) => void) =>
  createThreadSafeState<Shape>({ initialState: { completedSteps: [], completedAgents: [] }, maxHistorySize: 10_000, ...(inspect ? { inspect } : {}) });

const systemIdOf = (ref: unknown) => (ref as { options?: { systemId?: string } }).options?.systemId;

/** a -> (b, c) -> d: b and c have the same dependency, so they run in one wave. */
const diamond = {
  stages: [
    { id: 'a', agent: 'a' },
    { id: 'b', agent: 'b', dependsOn: ['a'], retries: 1 },
    { id: 'c', agent: 'c', dependsOn: ['a'] },
    { id: 'd', agent: 'd', dependsOn: ['b', 'c'] },
  ],
};
const writes = fromAgent(async ({ state }, input: StageAgentInput) => void (await state.set(`${input.stage}.${input.item.id}`, input.agentId)));

describe('stages in waves', () => {
  it('stages whose dependencies are complete run at the same time', async () => {
    const state = freshState();
    // Each agent of b waits for c's agent of the same item to have written: run one stage after the other, and it would time out.
    const waitsForC = fromAgent(async ({ state: remote }, input: StageAgentInput) => {
      await remote.waitFor((snapshot) => `c.${input.item.id}` in snapshot, { timeout: 5_000 });
      await remote.set(`b.${input.item.id}`, input.agentId);
    });
    const output = await runPipeline({ pipeline: diamond, items, state, agents: { a: writes, b: waitsForC, c: writes, d: writes } }).done;
    expect(output).toEqual({ status: 'completed' });
    const steps = state.get('completedSteps');
    expect(steps?.[0]).toBe('a');
    expect([...(steps ?? []).slice(1, 3)].sort()).toEqual(['b', 'c']);
    expect(steps?.[3]).toBe('d');
  });

  it('a stage failing rolls its whole wave back; the wave runs again, and nothing of the first run is left', async () => {
    const state = freshState();
    let bFailed = false;
    let cRuns = 0;
    const flakyB = fromAgent(async ({ state: remote }, input: StageAgentInput) => {
      // Fails once, on User, once c has written everything.
      await remote.waitFor((snapshot) => 'c.User' in snapshot && 'c.Order' in snapshot, { timeout: 5_000 });
      if (input.item.id === 'User' && !bFailed) {
        bFailed = true;
        throw new Error('b crashed');
      }
      await remote.set(`b.${input.item.id}`, input.agentId);
    });
    const countingC = fromAgent(async ({ state: remote }, input: StageAgentInput) => {
      cRuns++;
      await remote.modify<number>('c.runs', (runs) => (runs ?? 0) + 1);
      await remote.set(`c.${input.item.id}`, input.agentId);
    });
    const versionAfterA = new Promise<number>((resolve) =>
      state.subscribe(() => {
        if (state.get('completedSteps')?.length === 1) resolve(state.getVersion());
      }),
    );
    const output = await runPipeline({ pipeline: diamond, items, state, agents: { a: writes, b: flakyB, c: countingC, d: writes } }).done;
    expect(output).toEqual({ status: 'completed' });
    expect(cRuns).toBe(4);
    // The first run's increments were rolled back with the wave: only the second run's two remain.
    expect(state.get('c.runs')).toBe(2);
    expect(state.get('completedSteps')?.filter((step) => step === 'c')).toEqual(['c']);
    expect([...(state.get('completedAgents') ?? [])].sort()).toEqual(['a:Order', 'a:User', 'b:Order', 'b:User', 'c:Order', 'c:User', 'd:Order', 'd:User']);
    const rollback = state.getHistory().find((record) => record.operation === 'rollback');
    expect(rollback?.changedBy).toBe('workflow:b');
    // Back to exactly what a had left: b's and c's first writes both undone.
    expect(state.snapshotAt(rollback?.version ?? -1)).toEqual(state.snapshotAt(await versionAfterA));
  });

  it('one inspector sees the pipeline, its stages and their agents, the agents’ commands and the state’s replies', async () => {
    const events: InspectionEvent[] = [];
    const inspect = (event: InspectionEvent) => void events.push(event);
    const state = freshState(inspect);
    await runPipeline({ pipeline: { stages: [{ id: 'a', agent: 'a' }] }, items, state, agents: { a: writes }, inspect }).done;
    const systemIds = events.filter((event) => event.type === '@xstate.actor').map((event) => systemIdOf(event.actorRef));
    expect(systemIds).toEqual(expect.arrayContaining(['state', 'pipeline', 'stage:a', 'a:User', 'a:Order']));
    const pipeline = events.find((event) => event.type === '@xstate.actor' && systemIdOf(event.actorRef) === 'pipeline')?.actorRef as AnyActorRef | undefined;
    const agents = events
      .filter((event) => event.type === '@xstate.actor' && String(systemIdOf(event.actorRef)).startsWith('a:'))
      .map((event) => event.actorRef as AnyActorRef);
    // The agents live in the pipeline's system: the same root.
    for (const agent of agents) expect(agent.system).toBe(pipeline?.system);
    const sent = events.filter((event) => event.type === '@xstate.event');
    const commands = sent.filter((event) => event.event.type === 'state.set' && event.actorRef === state.actor);
    expect(commands.map((event) => (event.event as { changedBy?: string }).changedBy).sort()).toEqual(['a:Order', 'a:User']);
    const replies = sent.filter((event) => event.event.type === 'state.reply' && agents.includes(event.actorRef as AnyActorRef));
    expect(replies).toHaveLength(2);
    const pipelineStates = events
      .filter((event): event is InspectedSnapshotEvent => event.type === '@xstate.snapshot' && event.actorRef === pipeline)
      .map((event) => (event.snapshot as { value?: unknown }).value);
    expect(pipelineStates).toEqual(expect.arrayContaining(['runningWave', 'completed']));
  });
});
