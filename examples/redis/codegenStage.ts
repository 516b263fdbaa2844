/**
 * One stage of the code-generation pipeline in a process of its own: joins
 * the shared state, waits until the stages it depends on are recorded in
 * `completedSteps`, runs the stage's agents on this replica (one per
 * contract, each writing as `<stage>:<contract>` through its own handle),
 * and stays until the whole pipeline is complete, so that it ends holding
 * what every other replica holds. Prints a StageReport as its last line.
 * Usage: codegenStage.ts <url> <name> <stage> <contracts dir>
 */
import { isStepReady, PipelineSchema, runPipeline } from 'concord-state';
import { connectThreadSafeState } from 'concord-state/redis';
import { codegenAgents, codegenPipeline } from '../codegen/agents.ts';
import { readContracts } from '../codegen/contract.ts';
import { codegenStateOptions, digestOf, heldBy } from './codegenReplica.ts';
import type { StageReport } from './stageReport.ts';

/** Long enough for the stages before this one on a slow machine; the coordinator's deadline is longer still. */
const WAIT_MS = 60_000;

const [url = '', name = '', stageId = '', contractsDir = ''] = process.argv.slice(2);
// Parsed for its defaults: a stage given no dependsOn depends on none.
const { stages } = PipelineSchema.parse(codegenPipeline);
const stage = stages.find((candidate) => candidate.id === stageId);
if (stage === undefined) throw new Error(`no stage "${stageId}" in the pipeline: expected one of ${stages.map(({ id }) => id).join(', ')}`);
const items = readContracts(contractsDir).map((contract) => ({ id: contract.name, data: contract }));
const everyStage = stages.map(({ id }) => id);

const state = await connectThreadSafeState({ url, name, ...codegenStateOptions(name) });
try {
  await state.waitFor((snapshot) => isStepReady(snapshot, stage.dependsOn), { timeout: WAIT_MS });
  // A pipeline of this stage alone: its dependencies were waited for above, on the shared state.
  const { done } = runPipeline({ pipeline: { stages: [{ ...stage, dependsOn: [] }] }, items, state, agents: codegenAgents });
  const outcome = await done;
  if (outcome.status !== 'completed') throw new Error(`stage ${stage.id} ${outcome.status}: ${String(outcome.error)}`);
  await state.waitFor((snapshot) => isStepReady(snapshot, everyStage), { timeout: WAIT_MS });
  // Every entry appended so far is applied here before it reports.
  await state.sync();
  const report: StageReport = { stage: stage.id, pid: process.pid, origin: state.origin, version: state.getVersion(), digest: digestOf(heldBy(state)) };
  console.log(JSON.stringify(report));
} finally {
  await state.close();
}
