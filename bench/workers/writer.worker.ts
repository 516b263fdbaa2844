/** Bench worker: `times` sets of its own key, one round trip through the MessagePort each; reports when it started and ended. */
import { runWorkerAgent } from 'concord-state/workers';

runWorkerAgent(async ({ state }, input: { agentId: string; times: number }) => {
  // Timed from the first command, so that starting the thread (and compiling this script) is not counted.
  const started = performance.timeOrigin + performance.now();
  for (let i = 0; i < input.times; i++) await state.set(input.agentId, i);
  return { started, ended: performance.timeOrigin + performance.now() };
});
