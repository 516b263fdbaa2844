import { isCheckedSet } from './commands/checkedCommand.ts';
import { describeThrown } from './describeThrown.ts';
import type { MalformedEvent } from './protocol.ts';
import { setOwnKey } from './values/setOwnKey.ts';

/** Each copy's original, kept for inspected actors, whose inspectors saw the original arrive (see originalOf). */
const originals = new WeakMap<object, object>();

/** The event a copy the entry made was copied from: an inspector ties the state's reply to the event it saw sent. */
export function originalOf(event: object): object | undefined {
  return originals.get(event);
}

const malformed = (received: unknown, reason: string): MalformedEvent => ({ type: 'state.malformed', received, reason });

/** Why `type` cannot route an event, or null when it can. */
function unroutableBecause(type: unknown): string | null {
  if (typeof type !== 'string') return `expected an event object with a string "type", received type ${typeof type}`;
  // "*" is XState's wildcard, never a command; a machine sent it throws, so it is refused here.
  return type === '*' ? 'an event cannot have the wildcard type "*"' : null;
}

/**
 * A field of a command, or of what a malformed event received, without ever
 * throwing: a malformed event is still answered where it asked, with its id.
 */
export function routingField(event: unknown, field: 'replyTo' | 'requestId'): unknown {
  try {
    const isMalformed = typeof event === 'object' && event !== null && (event as { type?: unknown }).type === 'state.malformed';
    const source: unknown = isMalformed ? (event as MalformedEvent).received : event;
    return typeof source === 'object' && source !== null ? (source as Record<string, unknown>)[field] : undefined;
  } catch {
    return undefined;
  }
}

/** Wraps anything XState could not route (null, a number, an object without a string `type`). */
export function normalizeEvent<E>(event: E): E | MalformedEvent {
  try {
    if (typeof event !== 'object' || event === null) {
      return malformed(event, `expected an event object with a string "type", received ${event === null ? 'null' : typeof event}`);
    }
    const reason = unroutableBecause((event as { type?: unknown }).type);
    return reason === null ? event : malformed(event, reason);
  } catch (error) {
    return malformed(event, `the event could not be read: ${describeThrown(error).message}`);
  }
}

/**
 * For events arriving from outside the actor: a plain copy of the event,
 * each own field read once inside a try, which is all XState, the logic and
 * the reply see from then on. A getter that answers differently on each
 * read, or a Proxy, cannot show the logic one `type` and XState another.
 * Also refuses XState's own `xstate.*` events, so that no agent can stop the
 * shared state by sending `xstate.stop`. `inspected`: remember the original
 * for the actor's inspectors. Never throws.
 */
export function guardIncomingEvent(event: unknown, inspected: boolean): object {
  if (isCheckedSet(event)) return event;
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    const received = event === null ? 'null' : Array.isArray(event) ? 'an array' : typeof event;
    return malformed(event, `expected an event object with a string "type", received ${received}`);
  }
  let copy: Record<string, unknown>;
  try {
    copy = {};
    for (const key of Object.keys(event)) setOwnKey(copy, key, (event as Record<string, unknown>)[key]);
    // An event whose type is inherited (a class's getter) is read once too.
    if (!Object.hasOwn(copy, 'type')) copy.type = (event as { type?: unknown }).type;
  } catch (error) {
    return malformed(event, `the event could not be read: ${describeThrown(error).message}`);
  }
  const { type } = copy;
  const reason = unroutableBecause(type);
  if (reason !== null) return malformed(event, reason);
  if ((type as string).startsWith('xstate.')) return malformed(event, `"${type as string}" is reserved for XState; stop the state with its owner's stop()`);
  if (inspected) originals.set(copy, event);
  return copy;
}
