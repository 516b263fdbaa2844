import fc from 'fast-check';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createActor, fromCallback, type AnyActorLogic, type AnyActorRef, type EventObject } from 'xstate';
import { createThreadSafeState, isStepReady, monitorPerformance, runPipeline, waitForAgentCompletion, type StageAgentInput } from 'concord-state';
import { codegenAgents, codegenPipeline, CodegenStateSchema } from '../../examples/codegen/agents.ts';
import { readContracts } from '../../examples/codegen/contract.ts';

const contracts = readContracts(join(fileURLToPath(new URL('../../examples', import.meta.url)), 'contracts'));
const items = contracts.map((contract) => ({ id: contract.name, data: contract }));
const newState = () =>
  createThreadSafeState({ schema: CodegenStateSchema, initialState: CodegenStateSchema.parse({ workflowId: 'wf' }), maxHistorySize: 10_000 });

/**
 * Every command an agent sends reaches the state actor only when the
 * scheduler lets it: fast-check picks the order of the agents' commands,
 * one command at a time. The agents are the real ones, spawned by their
 * stage; only the state actor they are given is wrapped.
 */
function scheduled(agents: Record<string, AnyActorLogic>, scheduler: fc.Scheduler): Record<string, AnyActorLogic> {
  // An actor in front of the state: what it receives goes on when the scheduler says (agents that only read and write need nothing else of it).
  const throughScheduler = (stateActor: AnyActorRef): AnyActorRef =>
    createActor(
      fromCallback<EventObject>(({ receive }) => receive((event) => void scheduler.schedule(Promise.resolve(event.type)).then(() => stateActor.send(event)))),
    ).start();
  return Object.fromEntries(
    Object.entries(agents).map(([name, logic]) => [
      name,
      {
        ...logic,
        // eslint-disable-next-line @typescript-eslint/no-unsafe-return -- AnyActorLogic types its snapshots any
        getInitialSnapshot: (scope, input: StageAgentInput) => logic.getInitialSnapshot(scope, { ...input, state: throughScheduler(input.state) }),
      } satisfies AnyActorLogic,
    ]),
  );
}

/** The outcome that must not depend on the order: contents by key, lists sorted (agents append in any order). */
function outcome(state: ReturnType<typeof newState>) {
  const snapshot = state.snapshot();
  return {
    files: snapshot.files,
    generatedModels: snapshot.generatedModels,
    generatedValidators: snapshot.generatedValidators,
    generatedTests: snapshot.generatedTests,
    typeRegistry: snapshot.typeRegistry,
    qualityMetrics: snapshot.qualityMetrics,
    completedSteps: snapshot.completedSteps,
    completedAgents: [...(snapshot.completedAgents ?? [])].sort(),
  };
}

describe('the code-generation pipeline under the scheduler', () => {
  it('agents interleaved at random always reach the same final state', { timeout: 60_000 }, async () => {
    const reference = newState();
    expect((await runPipeline({ pipeline: codegenPipeline, items, state: reference, agents: codegenAgents }).done).status).toBe('completed');
    const expected = outcome(reference);

    await fc.assert(
      fc.asyncProperty(fc.scheduler(), async (scheduler) => {
        const state = newState();
        const { done } = runPipeline({ pipeline: codegenPipeline, items, state: state, agents: scheduled(codegenAgents, scheduler) });
        expect((await scheduler.waitFor(done)).status).toBe('completed');
        // Every agent's commands went through the scheduler: at least one per agent.
        expect(scheduler.report().length).toBeGreaterThanOrEqual(items.length * codegenPipeline.stages.length);
        expect(outcome(state)).toEqual(expected);
        state.stop();
      }),
      { numRuns: 50 },
    );
  });

  it('sequential coordination: waitForAgentCompletion and isStepReady see the pipeline’s progress, no polling', async () => {
    const state = newState();
    const modelsOfUser = waitForAgentCompletion(state, 'models:User', { timeout: 10_000 });
    const { done } = runPipeline({ pipeline: codegenPipeline, items, state: state, agents: codegenAgents });
    const seen = await modelsOfUser;
    expect(seen.completedAgents).toContain('models:User');
    expect(isStepReady(seen, ['parse'])).toBe(true);
    expect(isStepReady(seen, ['tests'])).toBe(false);
    await done;
    expect(isStepReady(state.snapshot(), ['parse', 'models', 'validators', 'tests'])).toBe(true);
  });

  it('the performance monitor reports the run from the state’s own counters', async () => {
    const state = newState();
    await runPipeline({ pipeline: codegenPipeline, items, state: state, agents: codegenAgents }).done;
    state.snapshot();
    state.snapshot();
    const report = monitorPerformance(state);
    const metrics = state.getMetrics();
    expect(report.currentVersion).toBe(state.getVersion());
    expect(report.stateSize).toBe(state.keys().length);
    expect(report.historySize).toBe(state.getHistory().length);
    expect(report.totalOperations).toBe(metrics.getCount + metrics.snapshotCount + metrics.setCount + metrics.deleteCount + metrics.rollbackCount);
    expect(report.cacheHitRate).toBeGreaterThan(0);
    expect(report.readWriteRatio).toBeCloseTo((metrics.getCount + metrics.snapshotCount) / metrics.setCount);
  });
});
