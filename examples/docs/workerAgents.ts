import { createActor, toPromise } from 'xstate';
import { createThreadSafeState, type AgentActor } from 'concord-state';
import { fromWorkerAgent } from 'concord-state/workers';

const state = createThreadSafeState<{ counter: number }>({ initialState: { counter: 0 } });
// A .ts script is compiled on load by tsx; a .js script needs nothing more.
const counterAgent = fromWorkerAgent<{ retries: number }, { agentId: string; state: AgentActor; times: number }>(
  new URL('./workers/counter.worker.ts', import.meta.url),
);

// Each worker acts through its own handle's actor: it writes only the counter, recorded as itself (permissions.md).
const agents = [0, 1].map((i) => {
  const { actor } = state.forAgent(`worker-${i}`, { write: ['counter'] });
  return createActor(counterAgent, { input: { agentId: `worker-${i}`, state: actor, times: 50 } }).start();
});
const outputs = await Promise.all(agents.map((agent) => toPromise(agent)));
console.log(`counter ${state.get('counter')} at version ${state.getVersion()}`); // counter 100 at version 100
console.log(`${outputs.reduce((sum, output) => sum + output.retries, 0)} writes lost a race and were retried`);
state.stop();
