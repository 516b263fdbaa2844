import { assign, enqueueActions, setup, type AnyActorLogic, type DoneActorEvent, type ErrorActorEvent, type PromiseActorLogic } from 'xstate';
import { fromAgent } from '../actors/fromAgent.ts';
import { bookkeeper, type BookkeepingInput } from '../src/workflow/bookkeeping.ts';
import type { Pipeline, Stage } from '../src/workflow/pipelineSchema.ts';
import type { WorkflowState } from '../src/workflow/workflowState.ts';
import { stageMachine, type PipelineItem, type StageOutput } from './stage.machine.ts';

/** What a pipeline run is started with. */
export interface PipelineInput {
  readonly pipeline: Pipeline;
  readonly items: readonly PipelineItem[];
  readonly state: WorkflowState;
  /** Agent logic by name, as the stages name them. */
  readonly agents: Readonly<Record<string, AnyActorLogic>>;
  /** Continue a run interrupted earlier on this state: roll back to the start of the wave it was in, and skip the stages it completed. */
  readonly resume?: boolean;
}

/** Every attempt of a wave starts with a known-good mark of this label: where a resumed run rolls back to. */
const WAVE_MARK = 'pipeline wave';

export interface PipelineContext extends PipelineInput {
  /** Stages complete, in the order they completed. */
  readonly completed: readonly string[];
  /** The stages running together: every stage whose dependencies were complete when the wave began. */
  readonly wave: readonly string[];
  /** The version saved before the wave's current attempt: what its failure or a cancel rolls back to. */
  readonly savedVersion: number;
  /** Failed runs of each stage, checked against its `retries`. */
  readonly failures: Readonly<Record<string, number>>;
  readonly failedStage: string | undefined;
  readonly error: unknown;
  readonly status: 'running' | PipelineOutput['status'];
  /** A cancel that arrived while a failed wave was being rolled back: honoured once the rollback is done. */
  readonly cancelRequested: boolean;
  readonly rollbackError: unknown;
}

/** How a run ended. */
export interface PipelineOutput {
  readonly status: 'completed' | 'failed' | 'cancelled';
  /** Failed: what failed the stage. */
  readonly error?: unknown;
  /** Failed: the stage that failed. */
  readonly stage?: string;
  /** Failed: how many times that stage ran and failed. */
  readonly attempts?: number;
  /** Cancelled: the wave that was running. */
  readonly stages?: readonly string[];
  /** Failed: why rolling the wave back failed too (e.g. the history window was too small for it). */
  readonly rollbackError?: unknown;
}

/**
 * Restores the shared state to `version` when anything was written since: an
 * agent of its own, so its commands reach the state as sent by it, `agentId`
 * recorded as changedBy.
 */
export const rollbackTo: PromiseActorLogic<void, BookkeepingInput & { version: number }> = fromAgent(
  async ({ state }, input: BookkeepingInput & { version: number }) => {
    try {
      if ((await state.version()) > input.version) await state.rollback(input.version);
    } finally {
      input.release();
    }
  },
);

/** Marks the version a wave's attempt starts from as known good, before any of its stages is spawned: an agent of its own, as rollbackTo is. */
export const markWave: PromiseActorLogic<void, BookkeepingInput & { label: string }> = fromAgent(
  async ({ state }, input: BookkeepingInput & { label: string }) => {
    try {
      await state.request({ type: 'state.markKnownGood', label: input.label });
    } finally {
      input.release();
    }
  },
);

const stageActorId = (stageId: string) => `stage:${stageId}`;
const stageIdOf = (actorId: string) => actorId.slice('stage:'.length);
const stageById = (context: PipelineContext, id: string | undefined) => context.pipeline.stages.find((stage) => stage.id === id) as Stage;
const readyStages = (context: PipelineContext) =>
  context.pipeline.stages.filter(
    (stage) => !context.completed.includes(stage.id) && stage.dependsOn.every((dependency) => context.completed.includes(dependency)),
  );
/**
 * Where a resumed run rolls back to: the version the newest attempt of the
 * earlier run's last wave started at; or the current one when there is no
 * such attempt, or when that wave completed before the run died (nothing of
 * it to undo, and its stages are not run again).
 */
const resumeVersion = (context: PipelineContext) => {
  const { state } = context;
  const mark = state
    .getKnownGoodMarks()
    .filter((candidate) => candidate.label?.startsWith(WAVE_MARK))
    .at(-1);
  if (mark === undefined) return state.getVersion();
  const wave = readyStages({ ...context, completed: state.snapshotAt(mark.version).completedSteps ?? [] });
  const completedNow = state.get('completedSteps') ?? [];
  return wave.every((stage) => completedNow.includes(stage.id)) ? state.getVersion() : mark.version;
};
const stageFailed = (event: DoneActorEvent | ErrorActorEvent) => !('output' in event) || !(event.output as StageOutput).ok;
const failureOf = (event: DoneActorEvent | ErrorActorEvent) => ('output' in event ? (event.output as StageOutput & { ok: false }).error : event.error);

/**
 * A pipeline as a statechart. It runs in waves: every stage whose
 * dependencies are complete starts at once, as a child stage actor running
 * one agent per item. Before each attempt of a wave the shared state's
 * version is saved; when a stage fails (an agent failed or the stage timed
 * out) or `cancel` arrives, the wave's stages are stopped and the state is
 * rolled back to it, so stages that ran beside the failed one run again with
 * it. A failed stage is retried up to its `retries`, then the run ends in
 * `failed` with the error. Each rollback undoes one attempt only, so the
 * history window needs to hold one attempt's writes, not all of them.
 */
export const pipelineMachine = setup({
  types: {
    input: {} as PipelineInput,
    context: {} as PipelineContext,
    events: {} as { type: 'cancel' } | DoneActorEvent | ErrorActorEvent,
    output: {} as PipelineOutput,
  },
  actors: { rollbackTo, markWave, stage: stageMachine },
  guards: {
    allStagesDone: ({ context }) => context.completed.length === context.pipeline.stages.length,
    waveDone: ({ context }) => context.wave.every((id) => context.completed.includes(id)),
    stageFailed: ({ event }) => stageFailed(event as DoneActorEvent | ErrorActorEvent),
    canRetry: ({ context }) => (context.failures[context.failedStage as string] ?? 0) <= stageById(context, context.failedStage).retries,
    cancelRequested: ({ context }) => context.cancelRequested,
    resuming: ({ context }) => context.resume === true,
  },
  actions: {
    // The rollback undoes every stage of the wave, those that had completed too.
    recordFailure: assign(({ context, event }) => {
      const failedStage = stageIdOf((event as DoneActorEvent | ErrorActorEvent).actorId);
      return {
        failedStage,
        error: failureOf(event as DoneActorEvent | ErrorActorEvent),
        failures: { ...context.failures, [failedStage]: (context.failures[failedStage] ?? 0) + 1 },
        completed: context.completed.filter((id) => !context.wave.includes(id)),
      };
    }),
    stopWave: enqueueActions(({ context, enqueue }) => {
      for (const id of context.wave) enqueue.stopChild(stageActorId(id));
    }),
  },
}).createMachine({
  id: 'pipeline',
  context: ({ input }) => ({
    ...input,
    completed: [],
    wave: [],
    savedVersion: input.state.getVersion(),
    failures: {},
    failedStage: undefined,
    error: undefined,
    status: 'running',
    cancelRequested: false,
    rollbackError: undefined,
  }),
  initial: 'starting',
  states: {
    starting: {
      always: [{ guard: 'resuming', target: 'resuming' }, { target: 'planning' }],
    },
    resuming: {
      invoke: {
        src: 'rollbackTo',
        systemId: 'rollback',
        input: ({ context }) => ({ ...bookkeeper(context.state, 'workflow:resume'), version: resumeVersion(context) }),
        onDone: {
          target: 'planning',
          // What the earlier run completed before its last wave began, as the state says after the rollback.
          actions: assign({
            completed: ({ context }) =>
              context.pipeline.stages.map((stage) => stage.id).filter((id) => context.state.get('completedSteps')?.includes(id) ?? false),
          }),
        },
        onError: { target: 'failed', actions: assign({ rollbackError: ({ event }) => event.error }) },
      },
    },
    planning: {
      always: [
        { guard: 'allStagesDone', target: 'completed' },
        {
          target: 'markingWave',
          actions: assign({ wave: ({ context }) => readyStages(context).map((stage) => stage.id) }),
        },
      ],
    },
    // Entered again on each retry: an attempt rolls back to where it began, the wave's start once the attempt before it was rolled back.
    // The mark is taken before any stage is spawned, so it names the version the attempt starts from.
    markingWave: {
      entry: assign({ savedVersion: ({ context }) => context.state.getVersion() }),
      invoke: {
        src: 'markWave',
        systemId: 'markWave',
        input: ({ context }) => ({ ...bookkeeper(context.state, 'workflow:pipeline'), label: `${WAVE_MARK}: ${context.wave.join(', ')}` }),
        onDone: 'runningWave',
        onError: { target: 'failed', actions: assign({ error: ({ event }) => event.error }) },
      },
      // Nothing of the wave has been written yet: there is nothing to roll back.
      on: { cancel: 'cancelled' },
    },
    runningWave: {
      entry: [
        enqueueActions(({ context, enqueue }) => {
          for (const id of context.wave) {
            const stage = stageById(context, id);
            const agent = context.agents[stage.agent] as AnyActorLogic;
            enqueue.spawnChild('stage', {
              id: stageActorId(id),
              systemId: stageActorId(id),
              input: { stage, items: context.items, state: context.state, agent },
            });
          }
        }),
      ],
      // Stopping a stage stops its agents at once: nothing of the wave writes after its rollback.
      exit: 'stopWave',
      always: { guard: 'waveDone', target: 'planning' },
      on: {
        'xstate.done.actor.*': [
          { guard: 'stageFailed', target: 'rollingBack', actions: 'recordFailure' },
          { actions: assign({ completed: ({ context, event }) => [...context.completed, stageIdOf(event.actorId)] }) },
        ],
        'xstate.error.actor.*': { target: 'rollingBack', actions: 'recordFailure' },
        cancel: 'cancelling',
      },
    },
    rollingBack: {
      invoke: {
        src: 'rollbackTo',
        systemId: 'rollback',
        input: ({ context }) => ({ ...bookkeeper(context.state, `workflow:${context.failedStage}`), version: context.savedVersion }),
        onDone: [{ guard: 'cancelRequested', target: 'cancelled' }, { guard: 'canRetry', target: 'markingWave' }, { target: 'failed' }],
        // The stage's own error stays the error; the rollback's is kept beside it.
        onError: { target: 'failed', actions: assign({ rollbackError: ({ event }) => event.error }) },
      },
      on: { cancel: { actions: assign({ cancelRequested: true }) } },
    },
    cancelling: {
      invoke: {
        src: 'rollbackTo',
        systemId: 'rollback',
        input: ({ context }) => ({ ...bookkeeper(context.state, 'workflow:cancel'), version: context.savedVersion }),
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
    if (context.status === 'cancelled') return { status: 'cancelled', stages: context.wave };
    const stage = context.failedStage ?? context.wave[0] ?? '';
    const failed = { status: 'failed' as const, error: context.error, stage, attempts: context.failures[stage] ?? 0 };
    return context.rollbackError === undefined ? failed : { ...failed, rollbackError: context.rollbackError };
  },
});
