import { createActor, toPromise } from 'xstate';
import { createThreadSafeState, fromAgent, type AgentInput } from 'concord-state';

const state = createThreadSafeState<{ completedSteps: string[]; generatedModels: Record<string, string> }>();

// ctx.state is a StateClient: every call is a command through the state's mailbox, answered to this agent's own actor.
const modelAgent = fromAgent(async ({ state }, input: AgentInput & { contract: { name: string } }) => {
  await state.waitFor((s) => (s.completedSteps as string[] | undefined)?.includes('parse') ?? false, { timeout: 5_000 });
  const path = `${input.contract.name}.schema.ts`;
  await state.modify<Record<string, string>>('generatedModels', (models) => void (models[input.contract.name] = path), { default: {} });
  return path; // the actor's output
});

// Agents get a handle's actor (permissions.md): what the agent writes is recorded as model-gen, and only generatedModels.
const { actor } = state.forAgent('model-gen', { write: ['generatedModels'] });
const agent = createActor(modelAgent, { input: { agentId: 'model-gen', state: actor, contract: { name: 'User' } } }).start();
await state.set('completedSteps', ['parse'], { changedBy: 'parser' }); // what the agent waits for
console.log(await toPromise(agent)); // User.schema.ts
console.log(state.getHistory({ key: 'generatedModels' })[0]?.changedBy); // model-gen: every write records the agent's id
state.stop();
