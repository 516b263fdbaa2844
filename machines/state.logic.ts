import { Actor, type ActorLogic, type ActorScope, type AnyActorRef, type EventObject, type Snapshot } from 'xstate';
import { sendFrom } from '../src/client/sendFrom.ts';
import { applyCommand, errorReply } from '../src/commands/applyCommand.ts';
import { createStateContext, type StateConfig, type StateContext } from '../src/commands/stateContext.ts';
import { normalizeEvent, routingField } from '../src/eventGuard.ts';
import { createStateConfig } from '../src/options.ts';
import { persistState, restoreState } from '../src/snapshots/persistedState.ts';
import type { MalformedEvent, StateCommand, StateReply } from '../src/protocol.ts';

/** Every event the state actor handles: the protocol's commands, and what it makes of anything else. */
export type StateEvent = StateCommand | MalformedEvent;

/** The state actor's snapshot: XState's, with the context every read is served from. */
export type StateActorSnapshot = Snapshot<undefined> & { readonly context: StateContext };

function replyToOf(event: unknown): AnyActorRef | undefined {
  const replyTo = routingField(event, 'replyTo');
  return replyTo instanceof Actor ? replyTo : undefined;
}

/**
 * Sends the reply once the new snapshot is in place, so that a receiver
 * reading the state sees its own write, and once the log has taken the
 * write, if there is a log; as the state actor's, for the inspector.
 * Whatever the receiver's side throws (its system's inspector, say) is
 * reported as XState reports errors, never thrown into the state actor,
 * which would stop it for everyone.
 */
function answer(scope: ActorScope<StateActorSnapshot, StateEvent>, replyTo: AnyActorRef, reply: StateReply, logged: Promise<void> | null): void {
  const send = (message: StateReply) => {
    try {
      sendFrom(scope.self, replyTo, message);
    } catch (error) {
      setTimeout(() => {
        throw error;
      });
    }
  };
  scope.defer(() => {
    if (logged === null) send(reply);
    else
      logged.then(
        () => send(reply),
        (error: unknown) => send(errorReply(reply.requestId, error)),
      );
  });
}

/**
 * The shared state: one actor whose mailbox serializes every command, so
 * there is no lock and no race. Each event is validated and applied by
 * `applyCommand` (the only writer), then answered: sent to its `replyTo`
 * when it names a live actor, and left on the snapshot as `lastReply` for
 * observers (the facade reads its replies there). Events it cannot read are
 * answered with a StateValidationError, never a crash.
 *
 * It is actor logic of its own rather than a statechart: it has one state,
 * and a machine's macrostep (microsteps, action resolution, snapshot
 * cloning) cost three times the command itself. Inspectors still see every
 * command, reply and snapshot: each event through the system of the actor it
 * reaches (see sendFrom).
 */
export const stateLogic: ActorLogic<StateActorSnapshot, StateEvent, StateConfig | undefined> = {
  getInitialSnapshot: (_scope, input) => ({ status: 'active', output: undefined, error: undefined, context: createStateContext(input ?? createStateConfig()) }),
  transition: (snapshot, event, scope) => {
    if (snapshot.status !== 'active') return snapshot;
    // Only the owner's stop() gets here with it: the actor's entry point turns an agent's into a malformed event.
    if ((event as EventObject).type === 'xstate.stop') return { ...snapshot, status: 'stopped' };
    const command = normalizeEvent(event);
    const update = applyCommand(snapshot.context, command);
    const replyTo = replyToOf(command);
    if (replyTo !== undefined && update.lastReply !== null) answer(scope, replyTo, update.lastReply, update.lastLogged ?? null);
    const { context } = snapshot;
    // Object literals of one fixed shape, which V8 builds faster than spreads (docs/performance.md).
    return {
      status: 'active',
      output: undefined,
      error: undefined,
      context: {
        version: update.version ?? context.version,
        store: context.store,
        history: context.history,
        marks: context.marks,
        snapshots: context.snapshots,
        metrics: context.metrics,
        guard: context.guard,
        clock: context.clock,
        log: context.log,
        lastReply: update.lastReply,
        lastCommit: update.lastCommit,
        lastLogged: update.lastLogged ?? null,
      },
    };
  },
  // A plain value JSON can carry, restored whole by createActor(stateLogic, { snapshot }).
  getPersistedSnapshot: (snapshot) => persistState(snapshot),
  restoreSnapshot: (persisted) => {
    const { status, context } = restoreState(persisted);
    return { status, output: undefined, error: undefined, context };
  },
};
