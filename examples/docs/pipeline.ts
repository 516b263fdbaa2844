import { createThreadSafeState, fromAgent, runPipeline, type AgentInput, type StageAgentInput } from 'concord-state';

type Input = AgentInput & StageAgentInput & { item: { id: string; data: { fields: string[] } } };

const state = createThreadSafeState<{ completedSteps: string[]; completedAgents: string[]; files: Record<string, string> }>();

let flaky = true;
const agents = {
  model: fromAgent(async ({ state }, { item }: Input) => {
    const code = `export const ${item.id}Schema = z.object({ ${item.data.fields.map((f) => `${f}: z.string()`).join(', ')} });`;
    await state.modify<Record<string, string>>('files', (files) => void (files[`${item.id}.schema.ts`] = code), { default: {} });
  }),
  test: fromAgent(async ({ state }, { item }: Input) => {
    if (item.id === 'Order' && flaky) {
      flaky = false;
      throw new Error('the test writer crashed'); // the wave is rolled back, and the stage runs again (retries: 1)
    }
    await state.modify<Record<string, string>>('files', (files) => void (files[`${item.id}.test.ts`] = `// tests of ${item.id}`), { default: {} });
  }),
};

const { actor, done } = runPipeline({
  pipeline: {
    stages: [
      { id: 'models', agent: 'model', timeoutMs: 5_000 },
      { id: 'tests', agent: 'test', dependsOn: ['models'], retries: 1 },
    ],
  },
  items: [
    { id: 'User', data: { fields: ['name', 'email'] } },
    { id: 'Order', data: { fields: ['sku'] } },
  ],
  state,
  agents,
});
console.log(actor.id); // pipeline: send it { type: 'cancel' } to stop the wave that is running and roll it back

const outcome = await done; // { status: 'completed' } | { status: 'failed', error, stage, attempts, rollbackError? } | { status: 'cancelled', stages }
console.log(outcome.status, state.get('completedSteps')); // completed [ 'models', 'tests' ]
console.log(Object.keys(state.get('files') ?? {})); // [ 'User.schema.ts', 'Order.schema.ts', 'User.test.ts', 'Order.test.ts' ]

const publish = fromAgent(async ({ state }) => {
  await state.set('completedSteps', []); // undone by the rollback below
  throw new Error('registry unreachable');
});
const failing = runPipeline({ pipeline: { stages: [{ id: 'publish', agent: 'publish' }] }, items: [{ id: 'all', data: null }], state, agents: { publish } });
const failed = await failing.done;
console.log(failed.status, failed.stage, failed.attempts, String(failed.error)); // failed publish 1 Error: registry unreachable
console.log(state.get('completedSteps')); // [ 'models', 'tests' ]: the failed wave was rolled back
state.stop();
