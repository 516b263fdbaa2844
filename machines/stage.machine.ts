import { assign, setup, type AnyActorLogic, type AnyActorRef, type DoneActorEvent, type ErrorActorEvent } from 'xstate';
import { fromAgent } from '../actors/fromAgent.ts';
import { bookkeeper, type BookkeepingInput } from '../src/workflow/bookkeeping.ts';
import { StateTimeoutError } from '../src/errors.ts';
import type { Stage } from '../src/workflow/pipelineSchema.ts';
import type { AgentActor, AgentState } from '../src/threadSafeState.ts';
import type { WorkflowState, WorkflowStateShape } from '../src/workflow/workflowState.ts';

/** An item the pipeline runs each stage on (a contract, in the code-generation pipeline). */
export interface PipelineItem {
  readonly id: string;
  readonly data: unknown;
}

/** What every agent of a pipeline is started with. */
export interface StageAgentInput {
  /** `<stage id>:<item id>`: the agent's systemId, and its `changedBy`. */
  readonly agentId: string;
  /** The agent's actor (see forAgent): it reads what the stage's `reads` name and writes what its `writes` name, as `agentId`. */
  readonly state: AgentActor;
  readonly stage: string;
  readonly item: PipelineItem;
}

export interface StageInput {
  readonly stage: Stage;
  readonly items: readonly PipelineItem[];
  readonly state: WorkflowState;
  /** The logic of this stage's agent. */
  readonly agent: AnyActorLogic;
}

export interface StageContext extends StageInput {
  /** Child id of each agent -> its agent id (the same, since agents are spawned by name). */
  readonly agents: Readonly<Record<string, string>>;
  /** The agents' handles, released when the agents are over. */
  readonly handles: readonly AgentState<WorkflowStateShape>[];
  /** Agents not yet recorded in `completedAgents`. */
  readonly waiting: readonly string[];
  /** Child id of each recording under way -> the agent it records. */
  readonly recordings: Readonly<Record<string, string>>;
  readonly error: unknown;
}

/** How a stage ended: the pipeline reads failures here, since a stage machine never throws. */
export type StageOutput = { readonly ok: true } | { readonly ok: false; readonly error: unknown };

const agentIdOf = (stage: Stage, item: PipelineItem) => `${stage.id}:${item.id}`;

/**
 * Spawns `logic` with `name` as both its id and its systemId, so every
 * inspector (Stately's names actors by id, ours by systemId) reads the run as
 * agents by name. XState's types refuse an id for logic chosen at run time
 * once a machine has `actors` set up; its runtime takes one.
 */
function spawnNamed(spawn: unknown, logic: AnyActorLogic, name: string, input: unknown): AnyActorRef {
  return (spawn as (logic: AnyActorLogic, options: { id: string; systemId: string; input: unknown }) => AnyActorRef)(logic, {
    id: name,
    systemId: name,
    input,
  });
}

/**
 * The bookkeeping is written by agents of its own, so an inspector shows
 * each write sent by the actor that made it: the facade's writes are plain
 * `send`s, which reach an inspector from no actor at all. `agentId` is the
 * `changedBy` recorded: the agent recorded, or `workflow:<stage>`.
 */
const recordAgent = fromAgent<void, BookkeepingInput>(async ({ state, agentId }, input) => {
  try {
    await state.modify<string[]>('completedAgents', (done) => void done.push(agentId), { default: [] });
  } finally {
    input.release();
  }
});

const recordStep = fromAgent<void, BookkeepingInput & { stage: string }>(async ({ state }, input) => {
  try {
    await state.modify<string[]>('completedSteps', (done) => void done.push(input.stage), { default: [] });
  } finally {
    input.release();
  }
});

/**
 * One stage as a statechart: one agent per item, spawned as this actor's
 * children (so an inspector of the pipeline sees them), each recorded in
 * `completedAgents` as it reports; once all are, the stage is recorded in
 * `completedSteps`. The first agent failure, a failed record or the stage's
 * timeout ends it as failed; reaching any final state stops every child, so
 * no agent of a failed stage writes after the pipeline is told.
 */
export const stageMachine = setup({
  types: {
    input: {} as StageInput,
    context: {} as StageContext,
    events: {} as DoneActorEvent | ErrorActorEvent,
    output: {} as StageOutput,
  },
  actors: { recordStep },
  delays: { stageTimeout: ({ context }) => context.stage.timeoutMs ?? 0 },
  guards: {
    hasTimeout: ({ context }) => context.stage.timeoutMs !== undefined,
    allRecorded: ({ context }) => context.waiting.length === 0,
    isRecording: ({ context, event }) => event.actorId in context.recordings,
    isAgent: ({ context, event }) => event.actorId in context.agents,
  },
}).createMachine({
  id: 'stage',
  context: ({ input }) => ({
    ...input,
    waiting: input.items.map((item) => agentIdOf(input.stage, item)),
    agents: {},
    handles: [],
    recordings: {},
    error: undefined,
  }),
  initial: 'running',
  // On the whole stage, so the timeout covers recording it too.
  after: {
    stageTimeout: {
      guard: 'hasTimeout',
      target: '.failed',
      actions: assign({ error: ({ context }) => new StateTimeoutError(context.stage.timeoutMs ?? 0, `stage ${context.stage.id}`) }),
    },
  },
  states: {
    running: {
      entry: assign(({ context, spawn }) => {
        const { reads, writes } = context.stage;
        const access = { ...(reads === undefined ? {} : { read: reads }), ...(writes === undefined ? {} : { write: writes }) };
        const handles = context.items.map((item) => context.state.forAgent(agentIdOf(context.stage, item), access));
        const agents = Object.fromEntries(
          context.items.map((item, index) => {
            const handle = handles[index] as AgentState<WorkflowStateShape>;
            const input: StageAgentInput = { agentId: handle.agentId, state: handle.actor, stage: context.stage.id, item };
            return [spawnNamed(spawn, context.agent, handle.agentId, input).id, handle.agentId];
          }),
        );
        return { agents, handles };
      }),
      // Whether they finished or the stage failed, the agents are over: their actors need not follow the state any more.
      exit: ({ context }) => context.handles.forEach((handle) => handle.release()),
      always: { guard: 'allRecorded', target: 'recordingStep' },
      on: {
        'xstate.done.actor.*': [
          {
            guard: 'isRecording',
            actions: assign(({ context, event }) => {
              const { [event.actorId]: agentId, ...recordings } = context.recordings;
              return { recordings, waiting: context.waiting.filter((waiting) => waiting !== agentId) };
            }),
          },
          {
            guard: 'isAgent',
            actions: assign({
              recordings: ({ context, event, spawn }) => {
                const agentId = context.agents[event.actorId] as string;
                const recording = spawnNamed(spawn, recordAgent, `record:${agentId}`, bookkeeper(context.state, agentId, ['completedAgents']));
                return { ...context.recordings, [recording.id]: agentId };
              },
            }),
          },
        ],
        'xstate.error.actor.*': { target: 'failed', actions: assign({ error: ({ event }) => event.error }) },
      },
    },
    recordingStep: {
      invoke: {
        id: 'recordStep',
        src: 'recordStep',
        input: ({ context }) => ({ ...bookkeeper(context.state, `workflow:${context.stage.id}`, ['completedSteps']), stage: context.stage.id }),
        onDone: 'done',
        onError: { target: 'failed', actions: assign({ error: ({ event }) => event.error }) },
      },
    },
    done: { type: 'final' },
    failed: { type: 'final' },
  },
  output: ({ context }): StageOutput => (context.error === undefined ? { ok: true } : { ok: false, error: context.error }),
});
