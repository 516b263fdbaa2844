import type { AnyStateMachine } from 'xstate';
import type { MalformedEvent } from '../src/protocol.ts';

/** True for an object whose `type` is a string; reading a hostile object's fields may throw. */
function isReadableEvent(event: unknown): boolean {
  try {
    return typeof event === 'object' && event !== null && typeof (event as { type?: unknown }).type === 'string';
  } catch {
    return false;
  }
}

/** Wraps anything XState could not route (null, a number, an object without a string `type`). */
export function normalizeEvent<E>(event: E): E | MalformedEvent {
  return isReadableEvent(event) ? event : { type: 'state.malformed', received: event };
}

/**
 * XState routes events by `event.type`; an event without a string type makes
 * the machine throw, which stops the actor for good. This logic is the same
 * machine with every event normalized first, so bad input is answered with an
 * error instead. Built on the prototype so the inspector still sees the machine.
 */
export function tolerateMalformedEvents<M extends AnyStateMachine>(machine: M): M {
  const logic: M = Object.create(machine);
  logic.transition = (snapshot, event, actorScope) => machine.transition(snapshot, normalizeEvent(event), actorScope);
  return logic;
}
