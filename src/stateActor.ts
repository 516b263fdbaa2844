import { createActor, type Actor } from 'xstate';
import { stateLogic } from '../machines/state.logic.ts';
import type { StateConfig } from './commands/stateEngine.ts';
import { guardIncomingEvent } from './eventGuard.ts';
import type { Inspect } from './inspect/ambient.ts';

/** The state actor: send it `state.*` commands, read `getSnapshot().context`. */
export type StateActor = Actor<typeof stateLogic>;

/** XState's one entry point for events, used by `send` and by other actors' `sendTo` alike. Not in its public types. */
interface WithEntryPoint {
  _send(event: unknown): void;
}

/**
 * Creates and starts the state actor, registered in its system as `state`.
 * Every incoming event passes `guardIncomingEvent` first: `null` would jam
 * XState's mailbox before any logic runs, and `{ type: 'xstate.stop' }` from
 * an agent would stop the shared state for everyone. Both become malformed
 * events, answered with an error. The actor's owner stops it with `stop()`.
 */
export function createStateActor(config: StateConfig, inspect?: Inspect): StateActor {
  const actor = createActor(stateLogic, { input: config, id: 'state', systemId: 'state', ...(inspect ? { inspect } : {}) });
  const entry = actor as unknown as WithEntryPoint;
  const deliver = entry._send.bind(actor);
  entry._send = (event) => deliver(guardIncomingEvent(event));
  // XState's development build rejects a string event in `send` itself, before `_send`.
  const send = actor.send.bind(actor);
  actor.send = (event) => send(guardIncomingEvent(event));
  return actor.start();
}
