import { describe, expect, it } from 'vitest';
import { createActor, toPromise } from 'xstate';
import { createThreadSafeState } from 'concord-state';
import { fromWorkerAgent, WorkerAgentError } from 'concord-state/workers';

type Input = { agentId: string; state: never; times: number; crashAfter?: number; exitAfter?: number };
/** The README's worker: compare-and-swap increments, retried on conflict. */
const counterWorker = fromWorkerAgent<{ retries: number }, Input>(new URL('../../examples/docs/workers/counter.worker.ts', import.meta.url));
const crashingWorker = fromWorkerAgent<{ conflicts: number }, Input>(new URL('./fixtures/crashing.worker.ts', import.meta.url));

describe('agents on worker threads', () => {
  it('4 workers x 1,000 atomic increments end at exactly 4,000, the version advanced by exactly 4,000', { timeout: 60_000 }, async () => {
    const state = createThreadSafeState<{ counter: number }>({ initialState: { counter: 0 }, maxHistorySize: 10_000 });
    const agents = Array.from({ length: 4 }, (_, i) =>
      createActor(counterWorker, { input: { agentId: `worker-${i}`, state: state.actor as never, times: 1000 } }).start(),
    );
    const outputs = await Promise.all(agents.map((agent) => toPromise(agent)));
    expect(state.get('counter')).toBe(4000);
    expect(state.getVersion()).toBe(4000);
    const writers = new Set(state.getHistory().map((record) => record.changedBy));
    expect(writers).toEqual(new Set(['worker-0', 'worker-1', 'worker-2', 'worker-3']));
    // The conflicts were real: the workers did race, and every lost race was retried.
    expect(state.getMetrics().rejectedCount).toBe(outputs.reduce((sum, output) => sum + output.retries, 0));
    state.stop();
  });

  it('a worker that crashes mid-run fails its actor, and every command it sent was applied whole', { timeout: 30_000 }, async () => {
    const state = createThreadSafeState<{ counter: number }>({ initialState: { counter: 0 }, maxHistorySize: 10_000 });
    const agent = createActor(crashingWorker, { input: { agentId: 'crasher', state: state.actor as never, times: 100, crashAfter: 10 } }).start();
    await expect(toPromise(agent)).rejects.toThrow('crasher crashed on purpose');
    expect(state.get('counter')).toBe(10);
    expect(state.getVersion()).toBe(10);
    state.stop();
  });

  it('a worker whose thread dies mid-command fails its actor with WorkerAgentError; the state stays consistent', { timeout: 30_000 }, async () => {
    const state = createThreadSafeState<{ counter: number }>({ initialState: { counter: 0 }, maxHistorySize: 10_000 });
    const agent = createActor(crashingWorker, { input: { agentId: 'killed', state: state.actor as never, times: 100, exitAfter: 20 } }).start();
    await expect(toPromise(agent)).rejects.toBeInstanceOf(WorkerAgentError);
    // The last command either arrived whole (counter -1, one more version) or not at all.
    const counter = state.get('counter');
    expect([20, -1]).toContain(counter);
    expect(state.getVersion()).toBe(counter === 20 ? 20 : 21);
    state.stop();
  });

  it('stopping the agent actor terminates its worker; what had arrived was applied whole', { timeout: 30_000 }, async () => {
    const state = createThreadSafeState<{ counter: number }>({ initialState: { counter: 0 }, maxHistorySize: 100_000 });
    const agent = createActor(crashingWorker, { input: { agentId: 'stopped', state: state.actor as never, times: 100_000 } }).start();
    await state.waitFor((snapshot) => (snapshot.counter ?? 0) >= 50, { timeout: 20_000 });
    agent.stop();
    expect(state.get('counter')).toBe(state.getVersion());
    expect(agent.getSnapshot().status).toBe('stopped');
    state.stop();
  });
});
