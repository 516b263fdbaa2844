import type { AnyActorRef, EventObject } from 'xstate';

/** XState's relay, which records the sender for the inspector; not in its public types. */
interface Relaying {
  _relay?(source: AnyActorRef, target: AnyActorRef, event: EventObject): void;
}

/**
 * Sends `event` from `source` to `target` as XState's own `sendTo` does, so
 * an inspector shows who sent it (a plain `send` arrives from nowhere), but
 * through the receiver's system: the state actor and its agents may live in
 * different systems, and an inspector of the receiver then sees everything
 * that reaches it. Falls back to `send` should XState ever drop its relay.
 */
export function sendFrom(source: AnyActorRef, target: AnyActorRef, event: object): void {
  const system = target.system as Relaying;
  // Any object: what arrives malformed is the receiver's to refuse (the state actor's entry point does).
  if (typeof system._relay === 'function') system._relay(source, target, event as EventObject);
  else target.send(event);
}
