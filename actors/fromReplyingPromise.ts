import { fromPromise, type AnyActorRef, type PromiseActorLogic } from 'xstate';
import type { StateReply } from '../src/protocol.ts';

/** The actor system XState hands promise logic. */
type PromiseSystem = Parameters<Parameters<typeof fromPromise<unknown, unknown>>[0]>[0]['system'];

/** What the promise of an agent gets: XState's promise arguments, and a way to receive the replies sent to its actor. */
export interface ReplyingPromiseArgs<TInput> {
  readonly input: TInput;
  readonly system: PromiseSystem;
  readonly self: AnyActorRef;
  readonly signal: AbortSignal;
  /** Every `state.reply` event sent to this actor (`replyTo: self`) goes to `handler` while the actor runs. */
  readonly onReply: (handler: (reply: StateReply) => void) => void;
}

const replyHandlers = new WeakMap<AnyActorRef, (reply: StateReply) => void>();

/**
 * Promise logic whose actor is its own reply inbox: commands go out with
 * `replyTo: self`, so the replies an inspector shows are addressed to the
 * agent itself, not to a helper actor beside it. Any other event is handled
 * as XState's promise logic handles it.
 */
export function fromReplyingPromise<TOutput, TInput>(creator: (args: ReplyingPromiseArgs<TInput>) => Promise<TOutput>): PromiseActorLogic<TOutput, TInput> {
  const logic = fromPromise<TOutput, TInput>(({ input, system, self, signal }) =>
    creator({ input, system, self, signal, onReply: (handler) => replyHandlers.set(self, handler) }),
  );
  const transition: typeof logic.transition = (snapshot, event, scope) => {
    if (event.type !== 'state.reply') return logic.transition(snapshot, event, scope);
    // Any actor can send this one a `state.reply`: the handler checks it and matches it by requestId, and
    // nothing it throws on a malformed one may fail the agent.
    const handler = snapshot.status === 'active' ? replyHandlers.get(scope.self) : undefined;
    try {
      handler?.(event as StateReply);
    } catch {
      // A reply that could not be handled is a reply not received: the request times out.
    }
    return snapshot;
  };
  return { ...logic, transition };
}
