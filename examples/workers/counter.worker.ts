/** A worker agent: increments `counter` with compare-and-swap writes through its MessagePort. */
import { StateConflictError } from 'concord-state';
import { runWorkerAgent } from 'concord-state/workers';

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
  return { retries };
});
