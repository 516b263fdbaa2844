import { assign, createActor, setup, toPromise } from 'xstate';
import { createThreadSafeState, stateRequest } from 'concord-state';

const state = createThreadSafeState<{ count: number }>({ initialState: { count: 41 } });

// One command as an invoked actor: the reply's result is onDone's event.output, its typed error onError's event.error.
const counter = setup({ actors: { stateRequest }, types: { context: {} as { count: number } } }).createMachine({
  context: { count: 0 },
  initial: 'reading',
  states: {
    reading: {
      invoke: {
        src: 'stateRequest',
        input: { agentId: 'counter', state: state.actor, replyTimeoutMs: 1_000, command: { type: 'state.get', key: 'count', default: 0 } },
        onDone: { target: 'writing', actions: assign({ count: ({ event }) => event.output as number }) },
        onError: 'failed',
      },
    },
    writing: {
      invoke: {
        src: 'stateRequest',
        input: ({ context }) => ({ agentId: 'counter', state: state.actor, command: { type: 'state.set', key: 'count', value: context.count + 1 } }),
        onDone: 'done',
        onError: 'failed',
      },
    },
    done: { type: 'final' },
    failed: { type: 'final' },
  },
});

const actor = createActor(counter).start();
await toPromise(actor);
console.log(actor.getSnapshot().value, state.get('count')); // done 42
state.stop();
