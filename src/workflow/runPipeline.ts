import type { z } from 'zod';
import { createActor, toPromise, type Actor, type ActorOptions, type AnyActorLogic } from 'xstate';
import type { PipelineItem } from '../../machines/stage.machine.ts';
import { pipelineMachine, type PipelineOutput } from '../../machines/pipeline.machine.ts';
import { StateValidationError, type ValidationIssue } from '../errors.ts';
import { resolveInspector, type ConcordInspector, type Inspect } from '../inspect/ambient.ts';
import type { ThreadSafeState } from '../threadSafeState.ts';
import { PipelineSchema, type Pipeline } from './pipelineSchema.ts';
import type { WorkflowState, WorkflowStateShape } from './workflowState.ts';

/** What `runPipeline` needs. `pipeline` is checked against PipelineSchema first. */
export interface RunPipelineOptions<T extends WorkflowStateShape = WorkflowStateShape> {
  readonly pipeline: z.input<typeof PipelineSchema>;
  readonly items: readonly PipelineItem[];
  /** Any shared state with the workflow's keys among its own. */
  readonly state: ThreadSafeState<T>;
  readonly agents: Readonly<Record<string, AnyActorLogic>>;
  /** An XState inspector or a ConcordInspector. @default the ambient inspector, if one is set */
  readonly inspect?: Inspect | ConcordInspector;
  /** The clock stage timeouts run on, e.g. XState's SimulatedClock in tests. @default real time */
  readonly clock?: ActorOptions<AnyActorLogic>['clock'];
  /**
   * Continue a run of this pipeline that was interrupted (a durable state,
   * reopened after a crash): the state is rolled back to the start of the
   * wave that was running, the stages completed before it are skipped, and
   * that wave runs again. @default false
   */
  readonly resume?: boolean;
}

/** Why `items` cannot name one agent each: ids must be unique, non-empty strings without ":". */
function itemIssues(items: unknown): ValidationIssue[] {
  if (!Array.isArray(items)) return [{ path: ['items'], message: 'items must be an array of { id, data }' }];
  const ids = items.map((item: unknown) => (typeof item === 'object' && item !== null ? (item as { id?: unknown }).id : undefined));
  return ids.flatMap((id, index): ValidationIssue[] => {
    if (typeof id !== 'string' || id === '' || id.includes(':'))
      return [{ path: ['items', index, 'id'], message: 'an item id must be a non-empty string without ":"' }];
    const first = ids.indexOf(id);
    return first === index
      ? []
      : [{ path: ['items', index, 'id'], message: `duplicate item id "${id}" (also item ${first}): each item's agent is named by it` }];
  });
}

/** A started pipeline: its actor, and the promise of its output. */
export interface RunningPipeline {
  readonly actor: Actor<typeof pipelineMachine>;
  readonly done: Promise<PipelineOutput>;
}

/**
 * Starts a pipeline run: the actor (send it `{ type: 'cancel' }`, watch it in
 * an inspector: the pipeline, its stage actors and their agents share one
 * system) and its outcome. A pipeline that is not valid (duplicate or
 * unknown stage ids, a cycle, an agent not given) or items that are not (ids
 * not unique, or holding ":") throw StateValidationError before anything runs.
 * The state's `maxHistorySize` must hold every write of one attempt of the
 * largest wave, bookkeeping included, or a failed attempt cannot be rolled
 * back: each retry rolls back only its own attempt.
 *
 * @example
 * const { done } = runPipeline({ pipeline: { stages: [{ id: 'models', agent: 'model' }] }, items, state, agents: { model } });
 * const { status } = await done;
 */
export function runPipeline<T extends WorkflowStateShape>(options: RunPipelineOptions<T>): RunningPipeline {
  const parsed = PipelineSchema.safeParse(options.pipeline);
  if (!parsed.success)
    throw new StateValidationError(
      null,
      parsed.error.issues.map(({ path, message }) => ({ path, message })),
    );
  const pipeline: Pipeline = parsed.data;
  const badItems = itemIssues(options.items);
  if (badItems.length > 0) throw new StateValidationError(null, badItems);
  const missing = pipeline.stages.filter((stage) => !Object.hasOwn(options.agents, stage.agent));
  if (missing.length > 0) {
    throw new StateValidationError(
      null,
      missing.map((stage) => ({
        path: ['stages', stage.id, 'agent'],
        message: `no agent named "${stage.agent}" was given (given: ${Object.keys(options.agents).join(', ')})`,
      })),
    );
  }
  const { inspect, concord } = resolveInspector(options.inspect);
  // The workflow touches only its own two keys, which every T has.
  const state = options.state as unknown as WorkflowState;
  // A ConcordInspector given here follows the state too (attaching is idempotent).
  concord?.attachState(options.state as unknown as ThreadSafeState<Record<string, unknown>>);
  const actor = createActor(pipelineMachine, {
    input: { pipeline, items: options.items, state, agents: options.agents, resume: options.resume === true },
    id: 'pipeline',
    systemId: 'pipeline',
    ...(inspect ? { inspect } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const done: Promise<PipelineOutput> = toPromise(actor.start());
  return { actor, done };
}
