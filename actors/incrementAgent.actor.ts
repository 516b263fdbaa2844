import { assign, not, sendTo, setup, type AnyActorRef } from 'xstate';
import type { ErrorPayload } from '../src/errors.ts';
import type { StateCommand, StateReply } from '../src/protocol.ts';

/** What an increment agent is started with. */
export interface IncrementAgentInput {
  readonly agentId: string;
  /** The state actor, e.g. `system.get('state')` or `state.actor`. */
  readonly state: AnyActorRef;
  readonly key: string;
  readonly times: number;
}

interface IncrementAgentContext extends IncrementAgentInput {
  readonly done: number;
  readonly error: ErrorPayload | null;
}

/** How the agent ended: how many increments were applied, and the error that stopped it, if any. */
export interface IncrementAgentOutput {
  readonly agentId: string;
  readonly increments: number;
  readonly error: ErrorPayload | null;
}

const increment = (count: number | undefined) => (count ?? 0) + 1;

/**
 * An agent as a statechart that speaks only the protocol: it sends
 * `state.modify` commands with `replyTo: self`, one at a time, and moves on
 * when the matching `state.reply` arrives. Each increment is an atomic
 * read-modify-write inside the state's mailbox, recorded as `changedBy: agentId`.
 */
export const incrementAgent = setup({
  types: {
    input: {} as IncrementAgentInput,
    context: {} as IncrementAgentContext,
    events: {} as StateReply,
    output: {} as IncrementAgentOutput,
  },
  actions: {
    requestIncrement: sendTo(
      ({ context }) => context.state,
      ({ context, self }): StateCommand => ({
        type: 'state.modify',
        key: context.key,
        recipe: increment as (draft: unknown) => unknown,
        requestId: `${context.agentId}:${context.done}`,
        replyTo: self,
        changedBy: context.agentId,
      }),
    ),
    countIncrement: assign({ done: ({ context }) => context.done + 1 }),
    keepError: assign({ error: ({ event }) => (event.ok ? null : event.error) }),
  },
  guards: {
    isOurReply: ({ context, event }) => event.requestId === `${context.agentId}:${context.done}`,
    failed: ({ event }) => !event.ok,
    isLast: ({ context }) => context.done + 1 >= context.times,
    nothingToDo: ({ context }) => context.times <= 0,
  },
}).createMachine({
  id: 'incrementAgent',
  context: ({ input }) => ({ ...input, done: 0, error: null }),
  initial: 'starting',
  states: {
    starting: {
      always: [{ guard: 'nothingToDo', target: 'finished' }, { target: 'working' }],
    },
    working: {
      entry: 'requestIncrement',
      on: {
        'state.reply': [
          // A reply to someone else's command (the state actor may be shared): not ours to count.
          { guard: not('isOurReply') },
          { guard: 'failed', target: 'failed', actions: 'keepError' },
          { guard: 'isLast', target: 'finished', actions: 'countIncrement' },
          { actions: ['countIncrement', 'requestIncrement'] },
        ],
      },
    },
    finished: { type: 'final' },
    failed: { type: 'final' },
  },
  output: ({ context }) => ({ agentId: context.agentId, increments: context.done, error: context.error }),
});
