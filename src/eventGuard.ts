import type { MalformedEvent } from './protocol.ts';

/** Why `event` cannot be routed, or null when it can; reading a hostile object's fields may throw. */
function unreadableBecause(event: unknown): string | null {
  try {
    if (typeof event !== 'object' || event === null) {
      return `expected an event object with a string "type", received ${event === null ? 'null' : typeof event}`;
    }
    if (Array.isArray(event)) return 'expected an event object with a string "type", received an array';
    const type: unknown = (event as { type?: unknown }).type;
    if (typeof type !== 'string') return `expected an event object with a string "type", received type ${typeof type}`;
    // "*" is XState's wildcard, never a command; a machine sent it throws, so it is refused here.
    return type === '*' ? 'an event cannot have the wildcard type "*"' : null;
  } catch (error) {
    return `the event could not be read: ${String(error)}`;
  }
}

/**
 * A field of a command, or of what a malformed event received, without ever
 * throwing: a malformed event is still answered where it asked, with its id.
 */
export function routingField(event: unknown, field: 'replyTo' | 'requestId'): unknown {
  try {
    const malformed = typeof event === 'object' && event !== null && (event as { type?: unknown }).type === 'state.malformed';
    const source: unknown = malformed ? (event as MalformedEvent).received : event;
    return typeof source === 'object' && source !== null ? (source as Record<string, unknown>)[field] : undefined;
  } catch {
    return undefined;
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
