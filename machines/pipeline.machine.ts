import { assign, setup, type AnyActorLogic } from 'xstate';
import { rollbackTo, runStage, type PipelineItem } from '../actors/runStage.actor.ts';
import { orderStages, type Pipeline, type Stage } from '../src/workflow/pipelineSchema.ts';
import type { WorkflowState } from '../src/workflow/workflowState.ts';

/** What a pipeline run is started with. */
export interface PipelineInput {
  readonly pipeline: Pipeline;
  readonly items: readonly PipelineItem[];
  readonly state: WorkflowState;
  /** Agent logic by name, as the stages name them. */
  readonly agents: Readonly<Record<string, AnyActorLogic>>;
}

interface PipelineContext extends PipelineInput {
  readonly order: readonly Stage[];
  readonly stageIndex: number;
  readonly attempt: number;
  /** The version saved before the running stage: what a failure rolls back to. */
  readonly savedVersion: number;
  readonly error: unknown;
  readonly status: 'running' | PipelineOutput['status'];
  /** A cancel that arrived while a failed stage was being rolled back: honoured once the rollback is done. */
  readonly cancelRequested: boolean;
  readonly rollbackError: unknown;
}

/** How a run ended. */
export interface PipelineOutput {
  readonly status: 'completed' | 'failed' | 'cancelled';
  readonly error?: unknown;
  /** The stage that failed or was cancelled. */
  readonly stage?: string;
  readonly attempts?: number;
  /** Why rolling the failed stage back failed too (e.g. the history window was too small for it). */
  readonly rollbackError?: unknown;
}

const currentStage = (context: PipelineContext): Stage => context.order[context.stageIndex] as Stage;

/**
 * A pipeline as a statechart: stages in dependency order, each running one
 * agent per item in parallel. Before a stage the shared state's version is
 * saved; when an agent fails, the stage times out, or `cancel` arrives, the
 * state is rolled back to it; a failed stage is retried up to its `retries`,
 * then the run ends in `failed` with the error.
 */
export const pipelineMachine = setup({
  types: {
    input: {} as PipelineInput,
    context: {} as PipelineContext,
    events: {} as { type: 'cancel' },
    output: {} as PipelineOutput,
  },
  actors: { runStage, rollbackTo },
  guards: {
    allStagesDone: ({ context }) => context.stageIndex >= context.order.length,
    canRetry: ({ context }) => context.attempt < currentStage(context).retries,
    cancelRequested: ({ context }) => context.cancelRequested,
  },
}).createMachine({
  id: 'pipeline',
  context: ({ input }) => ({
    ...input,
    order: orderStages(input.pipeline.stages) ?? [],
    stageIndex: 0,
    attempt: 0,
    savedVersion: input.state.getVersion(),
    error: undefined,
    status: 'running',
    cancelRequested: false,
    rollbackError: undefined,
  }),
  initial: 'planning',
  states: {
    planning: {
      always: [
        { guard: 'allStagesDone', target: 'completed' },
        { target: 'runningStage', actions: assign({ savedVersion: ({ context }) => context.state.getVersion(), attempt: 0 }) },
      ],
    },
    runningStage: {
      invoke: {
        src: 'runStage',
        input: ({ context }) => ({ stage: currentStage(context), items: context.items, state: context.state, agents: context.agents }),
        onDone: { target: 'planning', actions: assign({ stageIndex: ({ context }) => context.stageIndex + 1 }) },
        onError: { target: 'rollingBack', actions: assign({ error: ({ event }) => event.error }) },
      },
      on: { cancel: 'cancelling' },
    },
    rollingBack: {
      invoke: {
        src: 'rollbackTo',
        input: ({ context }) => ({ state: context.state, version: context.savedVersion, changedBy: `workflow:${currentStage(context).id}` }),
        onDone: [
          { guard: 'cancelRequested', target: 'cancelled' },
          { guard: 'canRetry', target: 'runningStage', actions: assign({ attempt: ({ context }) => context.attempt + 1 }) },
          { target: 'failed' },
        ],
        // The stage's own error stays the error; the rollback's is kept beside it.
        onError: { target: 'failed', actions: assign({ rollbackError: ({ event }) => event.error }) },
      },
      on: { cancel: { actions: assign({ cancelRequested: true }) } },
    },
    cancelling: {
      invoke: {
        src: 'rollbackTo',
        input: ({ context }) => ({ state: context.state, version: context.savedVersion, changedBy: 'workflow:cancel' }),
        onDone: 'cancelled',
        onError: { target: 'failed', actions: assign({ rollbackError: ({ event }) => event.error }) },
      },
    },
    completed: { type: 'final', entry: assign({ status: 'completed' as const }) },
    failed: { type: 'final', entry: assign({ status: 'failed' as const }) },
    cancelled: { type: 'final', entry: assign({ status: 'cancelled' as const }) },
  },
  output: ({ context }): PipelineOutput => {
    if (context.status === 'completed' || context.status === 'running') return { status: 'completed' };
    const stage = currentStage(context).id;
    if (context.status === 'cancelled') return { status: 'cancelled', stage };
    const failed = { status: 'failed' as const, error: context.error, stage, attempts: context.attempt + 1 };
    return context.rollbackError === undefined ? failed : { ...failed, rollbackError: context.rollbackError };
  },
});
