/** Agents on worker threads: four workers increment one counter; every increment lands exactly once. */
import { createActor, toPromise } from 'xstate';
import { createThreadSafeState } from 'concord-state';
import { fromWorkerAgent } from 'concord-state/workers';

const state = createThreadSafeState<{ counter: number }>({ initialState: { counter: 0 } });
const counterAgent = fromWorkerAgent<{ retries: number }, { agentId: string; state: typeof state.actor; times: number }>(
  new URL('./docs/workers/counter.worker.ts', import.meta.url),
);

const started = performance.now();
const agents = [0, 1, 2, 3].map((i) => createActor(counterAgent, { input: { agentId: `worker-${i}`, state: state.actor, times: 250 } }).start());
const outputs = await Promise.all(agents.map((agent) => toPromise(agent)));
const retries = outputs.reduce((sum, output) => sum + output.retries, 0);
console.log(`counter ${state.get('counter')} at version ${state.getVersion()}, ${retries} retried writes, ${(performance.now() - started).toFixed(0)} ms`);
state.stop();
