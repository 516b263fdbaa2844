import { fromPromise, type AnyActorRef } from 'xstate';
import { connectInProcess } from '../src/client/inProcess.ts';
import type { StateClient } from '../src/client/stateClient.ts';

/** What every agent is started with. */
export interface AgentInput {
  /** Recorded as `changedBy` on the agent's writes. */
  readonly agentId: string;
  /** The state actor; defaults to the one registered as `state` in the agent's system. */
  readonly state?: AnyActorRef;
  /** Milliseconds to wait for each reply before StateTimeoutError. @default 5000 */
  readonly replyTimeoutMs?: number;
}

/** What an agent's work gets: the state over the mailbox, its id, and a signal that aborts when the agent is stopped. */
export interface AgentContext {
  readonly state: StateClient;
  readonly agentId: string;
  readonly signal: AbortSignal;
}

/**
 * Agent logic from an async function: the function reaches the state only
 * through `ctx.state` (commands through the mailbox, replies correlated by
 * requestId, copies back), and the actor's output is what it returns.
 *
 * @example
 * const modelAgent = fromAgent(async ({ state }, input: AgentInput & { contract: string }) => {
 *   await state.set(`models.${input.contract}`, `models/${input.contract}.ts`);
 * });
 */
export function fromAgent<TOutput, TInput extends AgentInput>(work: (ctx: AgentContext, input: TInput) => Promise<TOutput>) {
  return fromPromise<TOutput, TInput>(async ({ input, system, signal }) => {
    const stateActor: AnyActorRef | undefined = input.state ?? system.get('state');
    if (stateActor === undefined) {
      throw new Error(`agent ${input.agentId}: no state actor; pass input.state or create the agent in the state's system`);
    }
    const { client, dispose } = connectInProcess(stateActor, {
      agentId: input.agentId,
      ...(input.replyTimeoutMs === undefined ? {} : { replyTimeoutMs: input.replyTimeoutMs }),
    });
    const onAbort = () => dispose(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      return await work({ state: client, agentId: input.agentId, signal }, input);
    } finally {
      signal.removeEventListener('abort', onAbort);
      dispose();
    }
  });
}
