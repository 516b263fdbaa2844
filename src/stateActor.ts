import { createActor, type Actor, type InspectionEvent, type Observer } from 'xstate';
import { stateMachine } from '../machines/state.machine.ts';
import { normalizeSentEvent, tolerateMalformedEvents } from '../machines/tolerateMalformedEvents.ts';
import type { StateConfig } from './commands/stateContext.ts';

/** The state actor: send it `state.*` commands, read `getSnapshot().context`. */
export type StateActor = Actor<typeof stateMachine>;

const stateLogic = tolerateMalformedEvents(stateMachine);

/**
 * Creates and starts the state actor, registered in its system as `state`.
 * `send(null)` or `send(undefined)` would jam XState's mailbox before any
 * logic runs, and `send({ type: 'xstate.stop' })` would let any agent stop
 * the shared state: this actor's `send` turns both into malformed events.
 */
export function createStateActor(
  config: StateConfig,
  inspect?: Observer<InspectionEvent> | ((event: InspectionEvent) => void),
): StateActor {
  const actor = createActor(stateLogic, { input: config, systemId: 'state', ...(inspect ? { inspect } : {}) });
  const send = actor.send;
  actor.send = (event) => send(normalizeSentEvent(event) as Parameters<typeof send>[0]);
  return actor.start();
}
