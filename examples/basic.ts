/**
 * Basic use: two agents coordinate through one shared
 * state. The validator agent waits for the model agent without polling, both
 * record their work atomically, a failed step is rolled back, and the history
 * reads as who did what.
 */
import { AgentCoordinationStateSchema, createThreadSafeState } from 'concord-state';

const state = createThreadSafeState({
  schema: AgentCoordinationStateSchema,
  initialState: AgentCoordinationStateSchema.parse({ sessionId: 'session-123', agentCount: 2 }),
});

async function modelAgent(contract: string): Promise<void> {
  await state.set('currentPhase', 'model_generation', { changedBy: 'model-gen' });
  // modify runs inside the mailbox: no other agent can slip in between read and write.
  await state.modify('generatedFiles', (files) => void files.push(`models/${contract}.ts`), { changedBy: 'model-gen', default: [] });
  await state.modify('completedAgents', (done) => void done.push('model-gen'), { changedBy: 'model-gen', default: [] });
}

async function validatorAgent(contract: string): Promise<void> {
  // Resolves on the first version where the model agent is done: no polling loop.
  await state.waitFor((snapshot) => snapshot.completedAgents?.includes('model-gen') ?? false, { timeout: 5_000 });
  await state.modify('generatedFiles', (files) => void files.push(`validators/${contract}.ts`), { changedBy: 'validator-gen', default: [] });
  await state.modify('completedAgents', (done) => void done.push('validator-gen'), { changedBy: 'validator-gen', default: [] });
}

async function riskyStep(): Promise<void> {
  const safeVersion = state.getVersion();
  try {
    await state.set('currentPhase', 'publishing', { changedBy: 'publisher' });
    throw new Error('registry unreachable');
  } catch (error) {
    await state.rollback(safeVersion, { changedBy: 'publisher' });
    console.log(`publish failed (${(error as Error).message}); rolled back to the content of version ${safeVersion}`);
  }
}

await Promise.all([validatorAgent('User'), modelAgent('User')]);
const view = state.snapshot();
console.log('files:', view.generatedFiles, 'completed:', view.completedAgents);

await riskyStep();
console.log(`phase after rollback: ${state.get('currentPhase')}, version ${state.getVersion()}`);

console.log('\nhistory, newest first:');
for (const record of state.getHistory({ limit: 6 })) {
  const change = `${JSON.stringify(record.oldValue)} -> ${JSON.stringify(record.newValue)}`;
  console.log(`  v${record.version} ${record.operation.padEnd(8)} ${record.key.padEnd(15)} by ${record.changedBy}: ${change}`);
}
const metrics = state.getMetrics();
console.log(`\nmetrics: ${metrics.setCount} sets, ${metrics.rollbackCount} rollback, snapshot cache hit rate ${metrics.cacheHitRate.toFixed(2)}`);
state.stop();
