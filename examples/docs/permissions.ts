import { createActor, toPromise } from 'xstate';
import { createThreadSafeState, fromAgent, StateAccessError, type AgentInput } from 'concord-state';

const state = createThreadSafeState<Record<string, string>>({ initialState: { plan: 'three models', apiKey: 'sk-...', 'files/README.md': '# app' } });

// A handle for one agent: it reads the plan and the files, writes only the files, and every write is recorded as it.
const writer = state.forAgent('model-writer', { read: ['plan', 'files/*'], write: ['files/*'] });
await writer.set('files/user.ts', 'export interface User {}');
console.log(writer.keys()); // [ 'plan', 'files/README.md', 'files/user.ts' ]: apiKey is not there for it
try {
  writer.get('apiKey');
} catch (error) {
  console.log(error instanceof StateAccessError, (error as StateAccessError).operation); // true read
}
await writer.set('plan', 'none').catch((error: unknown) => console.log((error as Error).message)); // Agent "model-writer" may not write key "plan": ...
await writer.clear().catch((error: unknown) => console.log((error as StateAccessError).key)); // plan: refused whole, nothing deleted
await writer.set('files/a.ts', '', { changedBy: 'admin' }).catch((error: unknown) => console.log((error as Error).name)); // StateValidationError

// Agents' logic gets the handle's actor, never the state's: what it sends acts as the agent, whatever it claims.
const agent = fromAgent(async ({ state }, _input: AgentInput) => {
  await state.set('files/order.ts', 'export interface Order {}', { changedBy: 'root' });
  return state.get('apiKey').catch((error: unknown) => (error as Error).name);
});
console.log(await toPromise(createActor(agent, { input: { agentId: 'root', state: writer.actor } }).start())); // StateAccessError
console.log(state.getHistory().map((record) => `${record.key} by ${record.changedBy}`)); // [ 'files/order.ts by model-writer', 'files/user.ts by model-writer' ]
console.log(state.getMetrics().accessDeniedCount); // 4: two reads and two writes refused
state.stop();
