/** Bench worker: `times` sets of its own key, `inFlight` at a time through the MessagePort; reports when it started and ended. */
import { runWorkerAgent } from 'concord-state/workers';
import { inBatches } from './inBatches.ts';

runWorkerAgent(async ({ state }, input: { agentId: string; times: number; inFlight: number }) => {
  // Timed from the first command, so that starting the thread (and compiling this script) is not counted.
  const started = performance.timeOrigin + performance.now();
  await inBatches(input.times, input.inFlight, (i) => state.set(input.agentId, i));
  return { started, ended: performance.timeOrigin + performance.now() };
});
