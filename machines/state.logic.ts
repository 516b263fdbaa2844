import { type ActorLogic, type ActorScope, type AnyActorRef, type EventObject, type Snapshot } from 'xstate';
import { deliverTo, isReplyChannel, type ReplyChannel } from '../src/client/replyChannel.ts';
import { sendFrom } from '../src/xstateInternals.ts';
import { applyCommand, errorOutcome, replyOf, type CommandOutcome } from '../src/commands/applyCommand.ts';
import { createStateEngine, type Commit, type StateConfig, type StateEngine } from '../src/commands/stateEngine.ts';
import { StateReader } from '../src/commands/stateReader.ts';
import { ThreadSafeStateError } from '../src/errors.ts';
import { normalizeEvent, routingField } from '../src/eventGuard.ts';
import { createStateConfig } from '../src/options.ts';
import { persistState, restoreState } from '../src/snapshots/persistedState.ts';
import { isActorRef, type MalformedEvent, type StateCommand, type StateOutcome, type StateReply } from '../src/protocol.ts';

/** Every event the state actor handles: the protocol's commands, and what it makes of anything else. */
export type StateEvent = StateCommand | MalformedEvent;

/**
 * What the state actor's snapshot carries: the version, a read-only view of
 * the state, and the outcome of the last command. No container of the state
 * is reachable from it, so nothing but a command changes the state.
 */
/** How the last command ended, for inspectors: its reply without the request id, which only its sender may know. */
export type { StateOutcome };

export interface StateActorContext {
  readonly version: number;
  readonly reader: StateReader;
  /** The answer to the last command if it named no `replyTo`: the snapshot is where its sender reads it (see the protocol). */
  readonly lastReply: StateReply | null;
  readonly lastOutcome: StateOutcome | null;
  /** The last applied write, for subscribers. */
  readonly lastCommit: Commit | null;
  /** Resolves once the log has taken the last command's effect. */
  readonly lastLogged: Promise<void> | null;
}

/** The state actor's snapshot: XState's, frozen, with the context every read is served from. */
export type StateActorSnapshot = Snapshot<undefined> & { readonly context: StateActorContext };

/**
 * Each state actor's engine, by the actor, for its transitions, and by its
 * reader, for persisting its snapshots: only this module can reach one.
 */
const engines = new WeakMap<AnyActorRef, StateEngine>();
const readEngines = new WeakMap<StateReader, StateEngine>();

/** Counts a read an agent's handle refused (reads bump counters without the mailbox: see MetricsRecorder). */
export function countDeniedRead(reader: StateReader): void {
  const engine = readEngines.get(reader);
  if (engine !== undefined) engine.metrics.accessDeniedCount++;
}

function start(scope: ActorScope<StateActorSnapshot, StateEvent>, engine: StateEngine, status: StateActorSnapshot['status']): StateActorSnapshot {
  const reader = new StateReader(engine);
  engines.set(scope.self, engine);
  readEngines.set(reader, engine);
  const context: StateActorContext = { version: engine.version, reader, lastReply: null, lastOutcome: null, lastCommit: null, lastLogged: null };
  return Object.freeze({ status, output: undefined, error: undefined, context: Object.freeze(context) });
}

function engineOf(scope: ActorScope<StateActorSnapshot, StateEvent>): StateEngine {
  const engine = engines.get(scope.self);
  // getNextSnapshot and other transitions computed outside the actor have a scope of their own.
  if (engine === undefined) throw new ThreadSafeStateError('The state logic only runs inside the actor created with it: send the actor a command instead');
  return engine;
}

function replyToOf(event: unknown): AnyActorRef | ReplyChannel | undefined {
  const replyTo = routingField(event, 'replyTo');
  // The facade's channel first: most commands are its own, and its check is the cheaper.
  return isReplyChannel(replyTo) || isActorRef(replyTo) ? replyTo : undefined;
}

/**
 * Sends the reply once the new snapshot is in place, so that a receiver
 * reading the state sees its own write, and once the log has taken the
 * write, if there is a log; as the state actor's, for the inspector.
 * A reply that cannot be delivered (the receiver's side throws: its
 * system's inspector, a look-alike's own code) is dropped, as XState drops
 * an event sent to a stopped actor: thrown into the state actor it would
 * stop it for everyone, and rethrown later it would end the process.
 */
function answer(
  scope: ActorScope<StateActorSnapshot, StateEvent>,
  replyTo: AnyActorRef | ReplyChannel,
  { requestId, outcome, lastLogged: logged }: CommandOutcome,
): void {
  // Arrow functions passed straight on: a named closure per reply costs the hot path (tsx names each one).
  if (logged === null) scope.defer(() => deliver(scope.self, replyTo, requestId, outcome));
  else
    scope.defer(
      () =>
        void logged.then(
          () => deliver(scope.self, replyTo, requestId, outcome),
          (error: unknown) => deliver(scope.self, replyTo, requestId, errorOutcome(error)),
        ),
    );
}

function deliver(self: AnyActorRef, replyTo: AnyActorRef | ReplyChannel, requestId: string | null, outcome: StateOutcome): void {
  try {
    if (isReplyChannel(replyTo)) deliverTo(replyTo, requestId, outcome);
    else sendFrom(self, replyTo, replyOf(requestId, outcome), self);
  } catch {
    // Dropped: see answer.
  }
}

/**
 * The shared state: one actor whose mailbox serializes every command, so
 * there is no lock and no race. Each event is validated and applied by
 * `applyCommand` (the only writer), then answered: sent to its `replyTo`
 * when it names a live actor (the facade's own inbox, or an agent), else
 * left on the snapshot as `lastReply` for the sender that reads it there.
 * Events it cannot read are answered with a StateValidationError, never a crash.
 *
 * It is actor logic of its own rather than a statechart: it has one state,
 * and a machine's macrostep (microsteps, action resolution, snapshot
 * cloning) cost three times the command itself. Inspectors still see every
 * command, reply and snapshot: each event through the system of the actor it
 * reaches (see sendFrom).
 */
export const stateLogic: ActorLogic<StateActorSnapshot, StateEvent, StateConfig | undefined> = {
  getInitialSnapshot: (scope, input) => start(scope, createStateEngine(input ?? createStateConfig()), 'active'),
  transition: (snapshot, event, scope) => {
    if (snapshot.status !== 'active') return snapshot;
    // Only the owner's stop() gets here with it: the actor's entry point turns an agent's into a malformed event.
    if ((event as EventObject).type === 'xstate.stop') return Object.freeze({ ...snapshot, status: 'stopped' });
    const engine = engineOf(scope);
    const command = normalizeEvent(event);
    const applied = applyCommand(engine, command);
    const replyTo = replyToOf(command);
    if (replyTo !== undefined) answer(scope, replyTo, applied);
    // Object literals of one fixed shape, which V8 builds faster than spreads (docs/performance.md).
    const context: StateActorContext = {
      version: engine.version,
      reader: snapshot.context.reader,
      // A reply sent to its replyTo is not left where every observer reads: its request id is its sender's alone.
      lastReply: replyTo === undefined ? replyOf(applied.requestId, applied.outcome) : null,
      lastOutcome: applied.outcome,
      lastCommit: applied.lastCommit,
      lastLogged: applied.lastLogged,
    };
    return Object.freeze({ status: 'active', output: undefined, error: undefined, context: Object.freeze(context) });
  },
  // A plain value JSON can carry, restored whole by createActor(stateLogic, { snapshot }).
  getPersistedSnapshot: (snapshot) => {
    const engine = readEngines.get(snapshot.context.reader);
    if (engine === undefined) throw new ThreadSafeStateError('Only a snapshot of a state actor can be persisted');
    return persistState(snapshot.status, engine);
  },
  restoreSnapshot: (persisted, scope) => {
    const { status, engine } = restoreState(persisted);
    return start(scope, engine, status);
  },
};
