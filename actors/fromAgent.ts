import type { AnyActorRef, PromiseActorLogic } from 'xstate';
import { inProcessTransport } from '../src/client/inProcess.ts';
import { StateClient } from '../src/client/stateClient.ts';
import type { StateShape } from '../src/threadSafeState.ts';
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

/** What an agent's work gets: the state (of shape `T`) over the mailbox, its id, and a signal that aborts when the agent is stopped. */
export interface AgentContext<T extends object = StateShape> {
  readonly state: StateClient<T>;
  readonly agentId: string;
  readonly signal: AbortSignal;
}

/** An agent's work: an async function of its context and its input. */
export type AgentWork<TOutput, TInput extends AgentInput, T extends object = StateShape> = (ctx: AgentContext<T>, input: TInput) => Promise<TOutput>;

/**
 * `fromAgent` for agents of a state of shape `T`: `ctx.state` is typed by it,
 * and the output and input are inferred from the function as they are
 * without a shape. The shape is what the agent expects, not checked here.
 *
 * @example
 * const reviewer = fromAgent<WorkflowStateShape>()(async ({ state }, input: AgentInput) => {
 *   await state.waitFor((snapshot) => snapshot.completedAgents?.includes('writer') ?? false);
 *   const steps = await state.get('completedSteps'); // string[] | undefined
 *   return steps?.length ?? 0;
 * });
 */
export function fromAgent<T extends object>(): <TOutput, TInput extends AgentInput>(work: AgentWork<TOutput, TInput, T>) => PromiseActorLogic<TOutput, TInput>;
/**
 * Agent logic from an async function: the function reaches the state only
 * through `ctx.state` (commands through the mailbox with `replyTo` the
 * agent's own actor, replies correlated by requestId, copies back), and the
 * actor's output is what it returns. Once the actor is stopped, every call
 * on `ctx.state` rejects: a stopped agent writes nothing more. `T` types
 * `ctx.state` by the state's shape; `fromAgent<T>()` infers the rest.
 *
 * @example
 * const modelAgent = fromAgent(async ({ state }, input: AgentInput & { contract: string }) => {
 *   await state.set(`models.${input.contract}`, `models/${input.contract}.ts`);
 * });
 */
export function fromAgent<TOutput, TInput extends AgentInput, T extends object = StateShape>(
  work: AgentWork<TOutput, TInput, T>,
): PromiseActorLogic<TOutput, TInput>;
export function fromAgent<TOutput, TInput extends AgentInput, T extends object>(
  work?: AgentWork<TOutput, TInput, T>,
): PromiseActorLogic<TOutput, TInput> | ((work: AgentWork<TOutput, TInput, T>) => PromiseActorLogic<TOutput, TInput>) {
  return work === undefined ? agentLogic : agentLogic(work);
}

function agentLogic<TOutput, TInput extends AgentInput, T extends object>(work: AgentWork<TOutput, TInput, T>): PromiseActorLogic<TOutput, TInput> {
  return fromReplyingPromise<TOutput, TInput>(async ({ input, system, self, signal, onReply }) => {
    const stateActor = input.state ?? (system.get('state') as AnyActorRef | undefined);
    if (stateActor === undefined) {
      throw new Error(`agent ${input.agentId}: no state actor; pass input.state or create the agent in the state's system`);
    }
    const client = new StateClient<T>(inProcessTransport(stateActor, self), {
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
