/** Benchmarks of the agent layer: in-process agents, worker-thread agents, and the code-generation pipeline end to end. */
import { createActor, fromCallback, fromPromise, toPromise, type AnyActorRef } from 'xstate';
import { createThreadSafeState, fromAgent, runPipeline, type StateReply } from 'concord-state';
import { fromWorkerAgent } from 'concord-state/workers';
import { codegenAgents, codegenPipeline, CodegenStateSchema } from '../examples/codegen/agents.ts';
import type { Contract } from '../examples/codegen/contract.ts';
import { median } from './harness.ts';

const writer = fromWorkerAgent<{ started: number; ended: number }, { agentId: string; state: never; times: number; inFlight: number }>(
  new URL('./workers/writer.worker.ts', import.meta.url),
);

/**
 * One round of `workers` worker agents writing at once, each keeping
 * `inFlight` commands in flight: commands per second from the first command
 * of the first to start to the last of the last to end (thread start-up
 * excluded).
 */
export async function workerRound(workers: number, inFlight: number, times: number): Promise<number> {
  const state = createThreadSafeState<Record<string, number>>({ maxHistorySize: 1000 });
  const agents = Array.from({ length: workers }, (_, i) =>
    createActor(writer, { input: { agentId: `w${i}`, state: state.actor as never, times, inFlight } }).start(),
  );
  const spans = await Promise.all(agents.map((agent) => toPromise(agent)));
  const elapsed = Math.max(...spans.map((span) => span.ended)) - Math.min(...spans.map((span) => span.started));
  state.stop();
  return ((workers * times) / elapsed) * 1000;
}

/** What an in-process agent sends its commands to: Concord's state actor, or the echo floor. */
interface CommandTarget {
  readonly actor: AnyActorRef;
  stop(): void;
}

/** An agent that speaks the protocol itself: a `state.set` with `replyTo: self`, the next one sent when its reply comes. */
function directWriter(target: AnyActorRef, agentId: string, times: number, done: () => void) {
  return createActor(
    fromCallback<StateReply>(({ self, receive }) => {
      let sent = 0;
      const next = () => target.send({ type: 'state.set', key: agentId, value: sent, requestId: `${agentId}:${sent++}`, replyTo: self, changedBy: agentId });
      receive((reply) => {
        if (!reply.ok) throw new Error(`${agentId}: ${reply.error.message}`);
        if (sent < times) next();
        else done();
      });
      next();
    }),
  );
}

/** One subject of the in-process agent lines: what its agents send to, and how one of them runs `times` commands. */
interface AgentSubject {
  readonly times: number;
  readonly makeTarget: () => CommandTarget;
  readonly run: (target: AnyActorRef, agentId: string, times: number) => Promise<unknown>;
}

/**
 * One round of a subject: commands per second from `agents` in-process
 * agents writing at once, one command in flight each (a round trip per
 * command).
 */
export async function agentRound(agents: number, { times, makeTarget, run }: AgentSubject): Promise<number> {
  const target = makeTarget();
  const started = performance.now();
  await Promise.all(Array.from({ length: agents }, (_, agent) => run(target.actor, `agent${agent}`, times)));
  const rate = ((agents * times) / (performance.now() - started)) * 1000;
  target.stop();
  return rate;
}

function concordTarget(): CommandTarget {
  const state = createThreadSafeState<Record<string, number>>({ maxHistorySize: 1000 });
  return { actor: state.actor, stop: () => state.stop() };
}

/** The floor under a round trip through an actor: one that answers every command at once, keeping nothing. */
function echoTarget(): CommandTarget {
  const actor = createActor(
    fromCallback<{ type: string; requestId: string; replyTo: AnyActorRef }>(({ receive }) => {
      let version = 0;
      receive((command) => command.replyTo.send({ type: 'state.reply', requestId: command.requestId, ok: true, result: ++version }));
    }),
  ).start();
  return { actor, stop: () => actor.stop() };
}

const direct = (target: AnyActorRef, agentId: string, times: number) => new Promise<void>((resolve) => directWriter(target, agentId, times, resolve).start());

/** An agent as users write one: `fromAgent`, through its StateClient. */
const clientWriter = fromAgent(async ({ state }, input: { agentId: string; state: never; times: number }) => {
  for (let i = 0; i < input.times; i++) await state.set(input.agentId, i);
});

/** Agents speaking the protocol themselves, sending to an actor that only echoes a reply: the floor of a round trip in-process. */
export const echoAgents: AgentSubject = { times: 100_000, makeTarget: echoTarget, run: direct };

/** The same agents, sending protocol events straight to the state actor. */
export const directAgents: AgentSubject = { times: 100_000, makeTarget: concordTarget, run: direct };

/** `fromAgent` agents, whose StateClient correlates each reply and watches for its timeout. */
export const fromAgentAgents: AgentSubject = {
  times: 50_000,
  makeTarget: concordTarget,
  run: (target, agentId, times) => toPromise(createActor(clientWriter, { input: { agentId, state: target as never, times } }).start()),
};

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

/** A promise actor that resolves at once: the least an agent run can cost. */
const emptyAgent = fromPromise(() => Promise.resolve());

/**
 * The floor under the pipeline: as many XState promise actors as it runs
 * agents (one per stage and item), created, started and awaited one stage
 * after the other, doing nothing. Milliseconds, median of `rounds`.
 */
export async function emptyPipelineMillis(count: number, rounds = 5): Promise<number> {
  const times: number[] = [];
  for (let round = 0; round <= rounds; round++) {
    const started = performance.now();
    for (const _stage of codegenPipeline.stages) {
      await Promise.all(Array.from({ length: count }, () => toPromise(createActor(emptyAgent).start())));
    }
    if (round > 0) times.push(performance.now() - started);
  }
  return median(times);
}
