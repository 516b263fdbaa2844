import { createActor, toPromise } from 'xstate';
import { createThreadSafeState, fromAgent, type AgentInput } from 'concord-state';

// Your model's client goes here; this stand-in only echoes the prompt.
const llm = { complete: (prompt: string): Promise<string> => Promise.resolve(`// ${prompt}\nexport {};\n`) };

const state = createThreadSafeState<{ files: Record<string, string> }>();

const schemaWriter = fromAgent(async ({ state }, input: AgentInput & { contract: { name: string; fields: string[] } }) => {
  const code = await llm.complete(`Write a zod schema module for ${JSON.stringify(input.contract)}`);
  await state.modify<Record<string, string>>('files', (files) => void (files[`${input.contract.name}.schema.ts`] = code), { default: {} });
});

const contract = { name: 'User', fields: ['name', 'email'] };
await toPromise(createActor(schemaWriter, { input: { agentId: 'models:User', state: state.actor, contract } }).start());
console.log(Object.keys(state.get('files') ?? {})); // [ 'User.schema.ts' ]
state.stop();
