import type { ActorRefLike, InspectionEvent, Observer } from 'xstate';
import { ActorBook } from './actorBook.ts';
import { BRIEF, toReadable, toReadableEvent } from './readable.ts';
import type { Recorder } from './recorder.ts';
import { routingField } from '../eventGuard.ts';
import { commandsOf, isStateActor, outcomeOf, readableStateInit } from './stateEvents.ts';

/** The parts of a live XState actor the inspector reads; XState's public types name only `sessionId`. */
interface LiveActor {
  readonly sessionId: string;
  readonly id?: string;
  readonly systemId?: string;
  readonly _parent?: LiveActor;
  readonly logic?: { readonly id?: unknown; readonly getStateNodeById?: unknown };
}

interface LiveEvent {
  readonly type: unknown;
  readonly input?: unknown;
}

interface LiveSnapshot {
  readonly status?: unknown;
  readonly value?: unknown;
  readonly output?: unknown;
  readonly error?: unknown;
}

const rootOf = (actor: LiveActor): LiveActor => (actor._parent === undefined ? actor : rootOf(actor._parent));

const isMachine = (actor: LiveActor) => typeof actor.logic?.getStateNodeById === 'function';

/**
 * The inspection observer for actors of this process: XState calls it
 * synchronously inside its own processing, so it only copies what is
 * readable into the recorder and never throws back into XState.
 */
export function createXStateSource(recorder: Recorder): Observer<InspectionEvent> {
  const book = new ActorBook(recorder);
  /** Each command to a state actor -> the seq of its event entry, for the reply that follows it. */
  const commandSeqs = new WeakMap<object, number>();
  /** Each state actor -> the last reply recorded: a snapshot that repeats it (the actor stopping) answers nothing new. */
  const lastReplies = new WeakMap<object, object>();

  /** Announces an actor, or tells what became known since (its systemId). Actors from systems not inspected are found through the events they take part in. */
  const meet = (ref: ActorRefLike): string => {
    const actor = ref as unknown as LiveActor;
    const machineId = isMachine(actor) && typeof actor.logic?.id === 'string' ? actor.logic.id : null;
    book.actor({
      sessionId: actor.sessionId,
      id: actor.id ?? actor.sessionId,
      systemId: actor.systemId ?? null,
      parentId: actor._parent?.sessionId ?? null,
      rootId: rootOf(actor).sessionId,
      logic: isMachine(actor) ? 'machine' : 'actor',
      machineId,
      origin: 'local',
    });
    return actor.sessionId;
  };

  /** The state's reply to the command it just handled, tied to the command's event entry. */
  const recordReply = (actor: object, stateId: string, handled: unknown, snapshot: unknown): void => {
    const outcome = outcomeOf(snapshot);
    if (outcome === null || lastReplies.get(actor) === outcome.outcome) return;
    lastReplies.set(actor, outcome.outcome);
    const command = commandsOf(handled).find((candidate) => commandSeqs.has(candidate));
    const requestId = command === undefined ? undefined : routingField(command, 'requestId');
    recorder.append({
      kind: 'reply',
      stateId,
      eventSeq: command === undefined ? null : (commandSeqs.get(command) ?? null),
      requestId: typeof requestId === 'string' ? requestId : null,
      ok: outcome.ok,
      ...(outcome.ok ? { result: outcome.detail } : { error: outcome.detail }),
      version: outcome.version,
    });
  };

  const record = (event: InspectionEvent): void => {
    switch (event.type) {
      case '@xstate.actor':
        meet(event.actorRef);
        return;
      case '@xstate.event': {
        const toState = isStateActor(event.actorRef as unknown as LiveActor);
        const sent = event.event as LiveEvent;
        const { seq } = recorder.append({
          kind: 'event',
          sourceId: event.sourceRef === undefined ? null : meet(event.sourceRef),
          targetId: meet(event.actorRef),
          type: String(sent.type),
          event: toState && sent.type === 'xstate.init' ? readableStateInit(sent) : toReadableEvent(sent, BRIEF),
        });
        if (toState && typeof sent === 'object' && sent !== null) commandSeqs.set(sent, seq);
        return;
      }
      case '@xstate.snapshot': {
        const sessionId = meet(event.actorRef);
        const snapshot = (event.snapshot ?? {}) as LiveSnapshot;
        const status = typeof snapshot.status === 'string' ? snapshot.status : 'active';
        book.snapshot({
          sessionId,
          status,
          // A machine's snapshot has a value: the state it is in. Other logic may have one too.
          value: snapshot.value === undefined ? null : toReadable(snapshot.value, BRIEF),
          eventType: typeof event.event?.type === 'string' ? event.event.type : null,
          ...(status === 'done' ? { output: toReadable(snapshot.output, BRIEF) } : {}),
          ...(status === 'error' ? { error: toReadable(snapshot.error, BRIEF) } : {}),
        });
        if (isStateActor(event.actorRef as unknown as LiveActor)) recordReply(event.actorRef, sessionId, event.event, event.snapshot);
        return;
      }
      default:
        // Microsteps, transitions and actions: the snapshots that follow them tell the same story.
        return;
    }
  };

  return {
    next: (event) => {
      try {
        record(event);
      } catch (error) {
        // An inspector must never break the run it watches.
        console.error('Concord inspector: could not record an inspection event:', error);
      }
    },
  };
}
