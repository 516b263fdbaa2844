import type { PromiseActorLogic } from 'xstate';
import type { OutgoingCommand } from '../src/client/stateClient.ts';
import { fromAgent, type AgentInput } from './fromAgent.ts';

/** What a `stateRequest` is invoked with: who asks, where, and the command (without `requestId` and `replyTo`, which it fills in). */
export interface StateRequestInput extends AgentInput {
  readonly command: OutgoingCommand;
}

/**
 * One command to the state, for agents written as statecharts: invoke it and
 * get the reply's result as `onDone`'s `event.output`, or the reply's typed
 * error (or StateTimeoutError after `replyTimeoutMs`) as `onError`'s
 * `event.error`. Leaving the state that invoked it abandons the request.
 *
 * @example
 * invoke: {
 *   src: 'stateRequest',
 *   input: ({ context }) => ({ agentId: context.agentId, replyTimeoutMs: 1000, command: { type: 'state.get', key: 'count', default: 0 } }),
 *   onDone: { actions: assign({ count: ({ event }) => event.output as number }) },
 *   onError: 'failed',
 * }
 */
export const stateRequest: PromiseActorLogic<unknown, StateRequestInput> = fromAgent(async ({ state }, input: StateRequestInput) =>
  state.request(input.command),
);
