import { z } from 'zod';
import { KeyPatternSchema } from '../access/keyPatterns.ts';

/** One stage of a pipeline: an agent per item, run in parallel once every stage it depends on is complete. */
export const StageSchema = z.strictObject({
  /**
   * Names the stage's actor (`stage:<id>`) and its agents (`<id>:<item id>`):
   * so no ':' in it, and not "stage", whose agents' names could be a stage's.
   */
  id: z
    .string()
    .min(1)
    .regex(/^[^:]+$/, 'a stage id cannot contain ":"')
    .refine((id) => id !== 'stage', 'a stage cannot be called "stage": its agents would be named like the stage actors'),
  /** The name of the agent logic, in the agents given to the pipeline, that each item gets. */
  agent: z.string().min(1),
  dependsOn: z.array(z.string().min(1)).default(() => []),
  /** Reject the stage with StateTimeoutError when its agents have not all reported by then. */
  timeoutMs: z.number().int().positive().optional(),
  /** How many times a failed stage is rolled back and run again before the pipeline fails. */
  retries: z.number().int().nonnegative().default(0),
  /** Key patterns (see forAgent) the stage's agents may read; omitted: every key. */
  reads: z.array(KeyPatternSchema).optional(),
  /** Key patterns the stage's agents may write; omitted: every key. A write outside them fails the stage with StateAccessError. */
  writes: z.array(KeyPatternSchema).optional(),
});
/** @see StageSchema */
export type Stage = z.infer<typeof StageSchema>;

/** Stages as data; ids unique, dependencies among them, no cycle. */
export const PipelineSchema = z.strictObject({ stages: z.array(StageSchema).min(1) }).superRefine(({ stages }, ctx) => {
  const ids = new Set<string>();
  for (const [index, stage] of stages.entries()) {
    if (ids.has(stage.id)) ctx.addIssue({ code: 'custom', path: ['stages', index, 'id'], message: `duplicate stage id "${stage.id}"` });
    ids.add(stage.id);
  }
  for (const [index, stage] of stages.entries()) {
    for (const dependency of stage.dependsOn) {
      if (!ids.has(dependency)) ctx.addIssue({ code: 'custom', path: ['stages', index, 'dependsOn'], message: `unknown stage "${dependency}"` });
    }
  }
  if (ctx.value.stages.length > 0 && orderStages(stages) === null) ctx.addIssue({ code: 'custom', path: ['stages'], message: 'the dependencies form a cycle' });
});
/** @see PipelineSchema */
export type Pipeline = z.infer<typeof PipelineSchema>;

/** The stages in an order that runs each after its dependencies (the reference's is_step_ready), or null for a cycle. */
export function orderStages(stages: readonly Stage[]): Stage[] | null {
  const done = new Set<string>();
  const ordered: Stage[] = [];
  while (ordered.length < stages.length) {
    const ready = stages.find((stage) => !done.has(stage.id) && stage.dependsOn.every((dependency) => done.has(dependency)));
    if (ready === undefined) return null;
    done.add(ready.id);
    ordered.push(ready);
  }
  return ordered;
}
