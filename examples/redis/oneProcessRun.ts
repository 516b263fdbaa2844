import { createThreadSafeState, runPipeline, type PipelineItem } from 'concord-state';
import { codegenAgents, codegenPipeline } from '../codegen/agents.ts';
import { codegenStateOptions, heldBy, type Held } from './codegenReplica.ts';

/** The whole pipeline in this process on a local state: what the run across processes has to produce. */
export async function runInOneProcess(name: string, items: readonly PipelineItem[]): Promise<Held> {
  const state = createThreadSafeState(codegenStateOptions(name));
  try {
    const outcome = await runPipeline({ pipeline: codegenPipeline, items, state, agents: codegenAgents }).done;
    if (outcome.status !== 'completed') throw new Error(`the one-process run ${outcome.status} in stage ${outcome.stage}: ${String(outcome.error)}`);
    return heldBy(state);
  } finally {
    state.stop();
  }
}
