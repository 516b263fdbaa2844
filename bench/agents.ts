/** Benchmarks of the agent layer: worker-thread agents, and the code-generation pipeline end to end. */
import { createActor, fromCallback, toPromise } from 'xstate';
import { createThreadSafeState, fromAgent, runPipeline, type StateActor, type StateReply } from 'concord-state';
import { fromWorkerAgent } from 'concord-state/workers';
import { codegenAgents, codegenPipeline, CodegenStateSchema } from '../examples/codegen/agents.ts';
import type { Contract } from '../examples/codegen/contract.ts';
import { median } from './harness.ts';

const writer = fromWorkerAgent<{ started: number; ended: number }, { agentId: string; state: never; times: number }>(
  new URL('./workers/writer.worker.ts', import.meta.url),
);

/**
 * Commands per second from `workers` worker agents writing at once, from the
 * first command of the first to start to the last of the last to end (thread
 * start-up excluded), median of `rounds`.
 */
export async function workerCommandsPerSecond(workers: number, times = 10_000, rounds = 3): Promise<number> {
  const rates: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const state = createThreadSafeState<Record<string, number>>({ maxHistorySize: 1000 });
    const agents = Array.from({ length: workers }, (_, i) => createActor(writer, { input: { agentId: `w${i}`, state: state.actor as never, times } }).start());
    const spans = await Promise.all(agents.map((agent) => toPromise(agent)));
    const elapsed = Math.max(...spans.map((span) => span.ended)) - Math.min(...spans.map((span) => span.started));
    rates.push(((workers * times) / elapsed) * 1000);
    state.stop();
  }
  return median(rates);
}

/** An agent that speaks the protocol itself: a `state.set` with `replyTo: self`, the next one sent when its reply comes. */
function directWriter(state: StateActor, agentId: string, times: number, done: () => void) {
  return createActor(
    fromCallback<StateReply>(({ self, receive }) => {
      let sent = 0;
      const next = () => state.send({ type: 'state.set', key: agentId, value: sent, requestId: `${agentId}:${sent++}`, replyTo: self, changedBy: agentId });
      receive((reply) => {
        if (!reply.ok) throw new Error(`${agentId}: ${reply.error.message}`);
        if (sent < times) next();
        else done();
      });
      next();
    }),
  );
}

/**
 * Commands per second from `agents` in-process agents writing at once, one
 * command in flight each (a round trip per command), median of `rounds`
 * after one warm-up round. `run` starts one agent and resolves when it is done.
 */
async function agentCommandsPerSecond(
  agents: number,
  times: number,
  rounds: number,
  run: (state: StateActor, agentId: string) => Promise<unknown>,
): Promise<number> {
  const rates: number[] = [];
  for (let round = 0; round <= rounds; round++) {
    const state = createThreadSafeState<Record<string, number>>({ maxHistorySize: 1000 });
    const started = performance.now();
    await Promise.all(Array.from({ length: agents }, (_, i) => run(state.actor, `agent${i}`)));
    if (round > 0) rates.push(((agents * times) / (performance.now() - started)) * 1000);
    state.stop();
  }
  return median(rates);
}

/** Agents sending protocol events straight to the state actor. */
export function directCommandsPerSecond(agents: number, times = 100_000, rounds = 5): Promise<number> {
  return agentCommandsPerSecond(
    agents,
    times,
    rounds,
    (state, agentId) => new Promise<void>((resolve) => directWriter(state, agentId, times, resolve).start()),
  );
}

/** An agent as users write one: `fromAgent`, whose client checks each command's reply and arms its reply timeout. */
const clientWriter = fromAgent(async ({ state }, input: { agentId: string; state: never; times: number }) => {
  for (let i = 0; i < input.times; i++) await state.set(input.agentId, i);
});

/** The same figure for `fromAgent` agents (their StateClient parses each reply and keeps a timer per request). */
export function fromAgentCommandsPerSecond(agents: number, times = 50_000, rounds = 5): Promise<number> {
  return agentCommandsPerSecond(agents, times, rounds, (state, agentId) =>
    toPromise(createActor(clientWriter, { input: { agentId, state: state as never, times } }).start()),
  );
}

function contracts(count: number): Contract[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `Entity${i}`,
    description: `generated entity ${i}`,
    fields: {
      id: { type: 'string', optional: false },
      amount: { type: 'number', optional: false },
      active: { type: 'boolean', optional: true },
      tags: { type: 'string[]', optional: false },
    },
  }));
}

/** Milliseconds for the whole code-generation pipeline over `count` contracts, median of `rounds`. */
export async function pipelineMillis(count: number, rounds = 5): Promise<number> {
  const items = contracts(count).map((contract) => ({ id: contract.name, data: contract }));
  const times: number[] = [];
  for (let round = 0; round <= rounds; round++) {
    const state = createThreadSafeState({
      schema: CodegenStateSchema,
      initialState: CodegenStateSchema.parse({ workflowId: 'bench' }),
      maxHistorySize: 10_000,
    });
    const started = performance.now();
    const { status } = await runPipeline({ pipeline: codegenPipeline, items, state: state, agents: codegenAgents }).done;
    if (status !== 'completed') throw new Error(`the pipeline ${status}`);
    if (round > 0) times.push(performance.now() - started);
    state.stop();
  }
  return median(times);
}
