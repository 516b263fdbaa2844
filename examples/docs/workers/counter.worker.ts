import { StateConflictError } from 'concord-state';
import { runWorkerAgent } from 'concord-state/workers';

// Runs on a worker thread: a recipe cannot cross the MessagePort, so an atomic increment is a compare-and-swap retried on conflict.
runWorkerAgent(async ({ state }, input: { agentId: string; times: number }) => {
  let retries = 0;
  for (let i = 0; i < input.times; i++) {
    for (;;) {
      const version = await state.version();
      const counter = await state.get<number>('counter', 0);
      try {
        await state.set('counter', counter + 1, { expectedVersion: version });
        break;
      } catch (error) {
        if (!(error instanceof StateConflictError)) throw error;
        retries++;
      }
    }
  }
  return { retries }; // the agent actor's output
});
