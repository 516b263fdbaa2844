/**
 * The code-generation pipeline with each stage in an OS process of its own,
 * all sharing one state through Redis: the core of `npm run
 * example:redis:codegen`, and what test/redis/pipelineProcesses.test.ts runs.
 */
import { connectThreadSafeState } from 'concord-state/redis';
import { codegenPipeline } from '../codegen/agents.ts';
import { readContracts } from '../codegen/contract.ts';
import { codegenStateOptions, digestOf, heldBy, type Held } from './codegenReplica.ts';
import { runInOneProcess } from './oneProcessRun.ts';
import type { StageReport } from './stageReport.ts';
import { startStageProcess, type StageProcess } from './stageProcess.ts';

export interface ProcessesRunOptions {
  readonly url: string;
  /** The state's name: a new one per run, since a state that exists already is joined, not seeded. */
  readonly name: string;
  readonly contractsDir: string;
  /** A stage process still running by then is killed, and the run fails. @default 120000 */
  readonly deadlineMs?: number;
}

/** What a run across processes did, and what the same run in one process does. */
export interface ProcessesRun {
  /** One per stage, in the pipeline's order. */
  readonly stages: readonly StageReport[];
  /** What the coordinator's replica holds once every stage process is done and it has synced. */
  readonly held: Held;
  readonly digest: string;
  /** The same pipeline run in this process on a local state. */
  readonly oneProcess: Held;
}

/**
 * Seeds the state, starts one process per stage (each waits for its
 * dependencies on the shared state, not for the coordinator), waits for
 * them all, and runs the pipeline in one process to compare. The first
 * process to fail kills the others.
 */
export async function runInProcesses({ url, name, contractsDir, deadlineMs = 120_000 }: ProcessesRunOptions): Promise<ProcessesRun> {
  const items = readContracts(contractsDir).map((contract) => ({ id: contract.name, data: contract }));
  // Connected first, so it is the replica that seeds the state.
  const state = await connectThreadSafeState({ url, name, ...codegenStateOptions(name) });
  try {
    const children: StageProcess[] = [];
    let stages: StageReport[];
    try {
      for (const { id } of codegenPipeline.stages) children.push(startStageProcess({ url, name, stage: id, contractsDir, deadlineMs }));
      stages = await Promise.all(children.map((child) => child.report));
    } finally {
      for (const child of children) child.kill();
    }
    await state.sync();
    const held = heldBy(state);
    return { stages, held, digest: digestOf(held), oneProcess: await runInOneProcess(name, items) };
  } finally {
    await state.close();
  }
}
