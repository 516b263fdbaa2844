import { createActor, fromPromise, toPromise, type AnyActorLogic, type AnyActorRef } from 'xstate';
import { StateTimeoutError } from '../src/errors.ts';
import type { Stage } from '../src/workflow/pipelineSchema.ts';
import type { WorkflowState } from '../src/workflow/workflowState.ts';

/** An item the pipeline runs each stage on (a contract, in the code-generation pipeline). */
export interface PipelineItem {
  readonly id: string;
  readonly data: unknown;
}

/** What every agent of a pipeline is started with. */
export interface StageAgentInput {
  readonly agentId: string;
  readonly state: AnyActorRef;
  readonly stage: string;
  readonly item: PipelineItem;
}

export interface RunStageInput {
  readonly stage: Stage;
  readonly items: readonly PipelineItem[];
  readonly state: WorkflowState;
  readonly agents: Readonly<Record<string, AnyActorLogic>>;
}

/**
 * Runs one stage: one agent per item, all in parallel, each recorded in
 * `completedAgents` when it reports; the stage is recorded in
 * `completedSteps` when all have. The first failure or the timeout stops
 * the stage's other agents and fails the stage; so does stopping this actor.
 */
export const runStage = fromPromise<void, RunStageInput>(async ({ input, signal }) => {
  const { stage, items, state, agents } = input;
  const logic = agents[stage.agent];
  if (logic === undefined) throw new Error(`stage "${stage.id}" names agent "${stage.agent}", which the pipeline was not given`);
  const running = items.map((item) => {
    const agentId = `${stage.id}:${item.id}`;
    const input: StageAgentInput = { agentId, state: state.actor, stage: stage.id, item };
    return { agentId, actor: createActor(logic, { input }).start() };
  });
  const stopAll = () => running.forEach(({ actor }) => actor.stop());
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stopped = new Promise<never>((_, reject) => {
    // Stop the agents right here, synchronously: the pipeline rolls back as soon as this actor is stopped.
    signal.addEventListener('abort', () => (stopAll(), reject(signal.reason)), { once: true });
    if (stage.timeoutMs !== undefined) {
      const timeoutMs = stage.timeoutMs;
      timer = setTimeout(() => reject(new StateTimeoutError(timeoutMs, `stage ${stage.id}`)), timeoutMs);
    }
  });
  // Settled only by a stop or the timeout; handled here, since once the agents are done nobody races it.
  stopped.catch(() => undefined);
  try {
    const reported = running.map(async ({ agentId, actor }) => {
      await toPromise(actor);
      // toPromise also resolves when an agent is stopped: that is no report, and a stopped stage writes nothing more.
      if (actor.getSnapshot().status !== 'done') throw new Error(`agent ${agentId} was stopped before it reported`);
      if (signal.aborted) return;
      await state.modify('completedAgents', (done) => void done.push(agentId), { default: [], changedBy: agentId });
    });
    await Promise.race([Promise.all(reported), stopped]);
  } catch (error) {
    stopAll();
    throw error;
  } finally {
    clearTimeout(timer);
  }
  await state.modify('completedSteps', (done) => void done.push(stage.id), { default: [], changedBy: `workflow:${stage.id}` });
});

/** Restores the shared state to `version` when anything was written since. */
export const rollbackTo = fromPromise<void, { state: WorkflowState; version: number; changedBy: string }>(async ({ input }) => {
  if (input.state.getVersion() > input.version) await input.state.rollback(input.version, { changedBy: input.changedBy });
});
