import type { AnyStateMachine } from 'xstate';
import type { MalformedEvent } from './protocol.ts';

/** Why `event` cannot be routed, or null when it can; reading a hostile object's fields may throw. */
function unreadableBecause(event: unknown): string | null {
  try {
    if (typeof event !== 'object' || event === null) {
      return `expected an event object with a string "type", received ${event === null ? 'null' : typeof event}`;
    }
    if (Array.isArray(event)) return 'expected an event object with a string "type", received an array';
    const type: unknown = (event as { type?: unknown }).type;
    return typeof type === 'string' ? null : `expected an event object with a string "type", received type ${typeof type}`;
  } catch (error) {
    return `the event could not be read: ${String(error)}`;
  }
}

/** Wraps anything XState could not route (null, a number, an object without a string `type`). */
export function normalizeEvent<E>(event: E): E | MalformedEvent {
  const reason = unreadableBecause(event);
  return reason === null ? event : { type: 'state.malformed', received: event, reason };
}

/**
 * For events arriving from outside the actor: also refuses XState's own
 * `xstate.*` events, so that no agent can stop the shared state by sending
 * `xstate.stop`.
 */
export function guardIncomingEvent<E>(event: E): E | MalformedEvent {
  const normalized = normalizeEvent(event);
  if (normalized !== event) return normalized;
  const { type } = event as { type: string };
  return type.startsWith('xstate.')
    ? { type: 'state.malformed', received: event, reason: `"${type}" is reserved for XState; stop the state with its owner's stop()` }
    : event;
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
