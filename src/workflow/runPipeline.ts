import type { z } from 'zod';
import { createActor, toPromise, type AnyActorLogic, type InspectionEvent, type Observer } from 'xstate';
import type { PipelineItem } from '../../actors/runStage.actor.ts';
import { pipelineMachine, type PipelineOutput } from '../../machines/pipeline.machine.ts';
import { StateValidationError } from '../errors.ts';
import { PipelineSchema, type Pipeline } from './pipelineSchema.ts';
import type { WorkflowState } from './workflowState.ts';

/** What `runPipeline` needs. `pipeline` is checked against PipelineSchema first. */
export interface RunPipelineOptions {
  readonly pipeline: z.input<typeof PipelineSchema>;
  readonly items: readonly PipelineItem[];
  readonly state: WorkflowState;
  readonly agents: Readonly<Record<string, AnyActorLogic>>;
  readonly inspect?: Observer<InspectionEvent> | ((event: InspectionEvent) => void);
}

/**
 * Starts a pipeline run: the actor (send it `{ type: 'cancel' }`, watch it in
 * an inspector) and its outcome. A pipeline that is not valid (duplicate or
 * unknown stage ids, a cycle, an agent not given) throws StateValidationError
 * before anything runs. The state's `maxHistorySize` must hold every write of
 * the largest stage, or a failed stage cannot be rolled back.
 *
 * @example
 * const { done } = runPipeline({ pipeline: { stages: [{ id: 'models', agent: 'model' }] }, items, state, agents: { model } });
 * const { status } = await done;
 */
export function runPipeline(options: RunPipelineOptions) {
  const parsed = PipelineSchema.safeParse(options.pipeline);
  if (!parsed.success) throw new StateValidationError(null, parsed.error.issues.map(({ path, message }) => ({ path, message })));
  const pipeline: Pipeline = parsed.data;
  const missing = pipeline.stages.filter((stage) => !(stage.agent in options.agents));
  if (missing.length > 0) {
    throw new StateValidationError(
      null,
      missing.map((stage) => ({ path: ['stages', stage.id, 'agent'], message: `no agent named "${stage.agent}" was given (given: ${Object.keys(options.agents).join(', ')})` })),
    );
  }
  const actor = createActor(pipelineMachine, {
    input: { pipeline, items: options.items, state: options.state, agents: options.agents },
    ...(options.inspect ? { inspect: options.inspect } : {}),
  });
  const done: Promise<PipelineOutput> = toPromise(actor.start());
  return { actor, done };
}
