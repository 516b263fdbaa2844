import { Actor, assign, sendTo, setup, type AnyActorRef } from 'xstate';
import { applyCommand } from '../src/commands/applyCommand.ts';
import { createStateContext, type StateConfig, type StateContext } from '../src/commands/stateContext.ts';
import { routingField } from '../src/eventGuard.ts';
import type { MalformedEvent, StateCommand, StateReply } from '../src/protocol.ts';

type StateEvent = StateCommand | MalformedEvent;

function replyToOf(event: StateEvent): AnyActorRef | undefined {
  const replyTo = routingField(event, 'replyTo');
  return replyTo instanceof Actor ? replyTo : undefined;
}

function lastReplyOf(context: StateContext): StateReply {
  // Every transition runs `apply` first, which always sets a reply.
  return context.lastReply as StateReply;
}

const stateSetup = setup({
  types: {
    context: {} as StateContext,
    events: {} as StateEvent,
    input: {} as StateConfig,
  },
  actions: {
    apply: assign(({ context, event }) => applyCommand(context, event)),
    replyToSender: sendTo(({ event }) => replyToOf(event) as AnyActorRef, ({ context }) => lastReplyOf(context)),
  },
  guards: {
    hasReplyTo: ({ event }) => replyToOf(event) !== undefined,
  },
});

/** Apply, then answer where the command asked to be answered. */
const answer = [
  { guard: 'hasReplyTo', actions: ['apply', 'replyToSender'] },
  { actions: 'apply' },
] as const;

/**
 * The shared state: one actor whose mailbox serializes every command, so
 * there is no lock and no race. Each command is validated and applied by
 * `apply` (an assign: the only writer), then answered: sent to its `replyTo`
 * when it names a live actor, and left on the snapshot as `lastReply` for
 * observers (the facade reads its replies there). Events it
 * cannot read are answered with a StateValidationError, never a crash.
 */
export const stateMachine = stateSetup.createMachine({
  id: 'state',
  context: ({ input }) => createStateContext(input),
  initial: 'serving',
  states: {
    serving: {
      // Each command is listed although '*' would catch it: the statechart then
      // documents the protocol, in the inspector and the visualizer.
      on: {
        'state.set': answer,
        'state.update': answer,
        'state.delete': answer,
        'state.clear': answer,
        'state.modify': answer,
        'state.rollback': answer,
        'state.get': answer,
        'state.snapshot': answer,
        'state.history': answer,
        'state.clearHistory': answer,
        'state.metrics': answer,
        'state.version': answer,
        '*': answer,
      },
    },
  },
});
