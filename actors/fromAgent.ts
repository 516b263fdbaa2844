import type { AnyActorRef, PromiseActorLogic } from 'xstate';
import { inProcessTransport } from '../src/client/inProcess.ts';
import { StateClient } from '../src/client/stateClient.ts';
import { fromReplyingPromise } from './fromReplyingPromise.ts';

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
 * through `ctx.state` (commands through the mailbox with `replyTo` the
 * agent's own actor, replies correlated by requestId, copies back), and the
 * actor's output is what it returns. Once the actor is stopped, every call
 * on `ctx.state` rejects: a stopped agent writes nothing more.
 *
 * @example
 * const modelAgent = fromAgent(async ({ state }, input: AgentInput & { contract: string }) => {
 *   await state.set(`models.${input.contract}`, `models/${input.contract}.ts`);
 * });
 */
export function fromAgent<TOutput, TInput extends AgentInput>(work: (ctx: AgentContext, input: TInput) => Promise<TOutput>): PromiseActorLogic<TOutput, TInput> {
  return fromReplyingPromise<TOutput, TInput>(async ({ input, system, self, signal, onReply }) => {
    const stateActor: AnyActorRef | undefined = input.state ?? system.get('state');
    if (stateActor === undefined) {
      throw new Error(`agent ${input.agentId}: no state actor; pass input.state or create the agent in the state's system`);
    }
    const client = new StateClient(inProcessTransport(stateActor, self), {
      agentId: input.agentId,
      ...(input.replyTimeoutMs === undefined ? {} : { replyTimeoutMs: input.replyTimeoutMs }),
    });
    onReply((reply) => client.receive(reply));
    const onAbort = () => client.close(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      return await work({ state: client, agentId: input.agentId, signal }, input);
    } finally {
      signal.removeEventListener('abort', onAbort);
      client.close(new Error(`agent ${input.agentId} has finished`));
    }
  });
}
