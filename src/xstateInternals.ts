import { Actor, type ActorOptions, type AnyActorLogic, type AnyActorRef, type EventFromLogic, type EventObject } from 'xstate';
import { guardIncomingEvent } from './eventGuard.ts';

/**
 * The two XState internals Concord relies on, and the only place it touches
 * them; test/input/xstateInternals.test.ts fails loudly if an XState upgrade
 * changes either.
 *
 * - `Actor.prototype._send`: every event reaches an actor's mailbox through
 *   it, from `send` and from other actors' `sendTo` alike. XState reads the
 *   event's `type` outside any try after the logic has run, so `null`, or an
 *   agent's `{ type: 'xstate.stop' }`, would jam or stop the shared state
 *   before the logic could refuse it; no public hook runs before the mailbox.
 * - `system._relay`: sends an event as from an actor, so inspectors show who
 *   sent it; XState's public API offers that only to a machine's own actions.
 */
interface Internals {
  _send(event: unknown): void;
}
interface Relaying {
  _relay(source: AnyActorRef, target: AnyActorRef, event: EventObject): void;
}

const { _send: deliver } = Actor.prototype as unknown as Partial<Internals>;
if (typeof deliver !== 'function') {
  throw new Error('This version of xstate has no Actor.prototype._send, which concord-state guards its mailbox with: see src/xstateInternals.ts');
}

/**
 * An actor whose every incoming event passes `guardIncomingEvent` on its way
 * into the mailbox, and becomes a malformed event, answered with an error,
 * when it could not be routed or names an `xstate.*` event. Its owner stops
 * it with `stop()`, which goes round the entry.
 */
export class GuardedActor<TLogic extends AnyActorLogic> extends Actor<TLogic> {
  readonly #inspected: boolean;

  constructor(logic: TLogic, options: ActorOptions<TLogic>) {
    super(logic, options);
    this.#inspected = options.inspect !== undefined;
  }

  // XState's development build throws on a string event in `send` itself, before `_send`: only those are guarded here.
  override send(event: EventFromLogic<TLogic>): void {
    super.send((typeof event === 'object' && event !== null ? event : guardIncomingEvent(event, false)) as EventFromLogic<TLogic>);
  }

  _send(event: unknown): void {
    (deliver as Internals['_send']).call(this, guardIncomingEvent(event, this.#inspected));
  }
}

/**
 * Sends `event` from `source` to `target` as XState's own `sendTo` does, so
 * an inspector shows who sent it, through `via`'s system: by default the
 * receiver's, whose inspector then sees everything that reaches it. The
 * state answers through its own: a receiver's system, which its sender
 * controls, would be handed the state actor as the reply's source.
 */
export function sendFrom(source: AnyActorRef, target: AnyActorRef, event: object, via: AnyActorRef = target): void {
  const system = via.system as Partial<Relaying>;
  if (typeof system._relay !== 'function') {
    throw new Error('This version of xstate has no system._relay, which concord-state sends replies with: see src/xstateInternals.ts');
  }
  // Any object: what arrives malformed is the receiver's to refuse (the state actor's entry point does).
  system._relay(source, target, event as EventObject);
}
