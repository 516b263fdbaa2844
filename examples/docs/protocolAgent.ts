import { assign, createActor, not, sendTo, setup, toPromise, type AnyActorRef } from 'xstate';
import { createThreadSafeState, type StateCommand, type StateReply } from 'concord-state';

const state = createThreadSafeState<{ count: number }>();

// An agent as a statechart that speaks only the protocol: one state.modify at a time, the next one when its reply arrives.
const incrementer = setup({
  types: {
    input: {} as { agentId: string; state: AnyActorRef; times: number },
    context: {} as { agentId: string; state: AnyActorRef; times: number; done: number },
    events: {} as StateReply,
  },
  actions: {
    requestIncrement: sendTo(
      ({ context }) => context.state, // state.actor, or system.get('state')
      ({ context, self }): StateCommand => ({
        type: 'state.modify',
        key: 'count',
        recipe: (count) => ((count as number | undefined) ?? 0) + 1, // runs inside the state's mailbox
        requestId: `${context.agentId}:${context.done}`,
        replyTo: self,
        changedBy: context.agentId,
      }),
    ),
  },
  guards: {
    isOurReply: ({ context, event }) => event.requestId === `${context.agentId}:${context.done}`,
    failed: ({ event }) => !event.ok,
    isLast: ({ context }) => context.done + 1 >= context.times,
  },
}).createMachine({
  context: ({ input }) => ({ ...input, done: 0 }),
  initial: 'working',
  states: {
    working: {
      entry: 'requestIncrement',
      on: {
        'state.reply': [
          { guard: not('isOurReply') }, // not an answer to this agent's command: ignored
          { guard: 'failed', target: 'failed' },
          { guard: 'isLast', target: 'finished' },
          { actions: [assign({ done: ({ context }) => context.done + 1 }), 'requestIncrement'] },
        ],
      },
    },
    finished: { type: 'final' },
    failed: { type: 'final' },
  },
});

const agents = ['a', 'b', 'c'].map((agentId) => createActor(incrementer, { input: { agentId, state: state.actor, times: 100 } }).start());
await Promise.all(agents.map((agent) => toPromise(agent)));
console.log(state.get('count'), state.getVersion()); // 300 300

// Bad input never stops the actor: it is answered with a StateValidationError, counted, and changes nothing.
state.actor.send({ type: 'state.set', value: 1 } as unknown as StateCommand); // no key
console.log(state.getMetrics().rejectedCount, state.getVersion()); // 1 300
state.stop();
