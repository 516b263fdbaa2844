import type { ActorLogic, AnyActorRef, EventObject, Snapshot } from 'xstate';
import type { Grant } from '../src/access/grants.ts';
import { isActorRef, type StateCommand } from '../src/protocol.ts';

/** What an agent's actor shows: whose it is and the state's version, never a value. */
export interface AgentDoorContext {
  readonly agentId: string;
  readonly version: number;
  /** The version of the state's last applied write, for agents' clients that wait for changes. */
  readonly lastCommit: { readonly version: number } | null;
}

export type AgentDoorSnapshot = Snapshot<undefined> & { readonly context: AgentDoorContext };

/** How a door reaches the state it stands in front of: a local state actor, or a replicated state. */
export interface DoorWiring {
  readonly grant: Grant;
  /** The state's version now, and whether it still takes commands. */
  current(): { readonly version: number; readonly active: boolean };
  /** Calls `onCommit` after each applied write and `onStop` once the state stops; returns the unsubscribe function. */
  watch(onCommit: (version: number) => void, onStop: () => void): () => void;
  /** Delivers one command, the door's own copy with the grant set, as from `sender`; never throws. */
  forward(command: StateCommand, sender: AnyActorRef, door: AnyActorRef): void;
}

/** The door's own notices of the state's changes carry this: no event another sender makes can pass for one. */
const NOTICE = Object.freeze({});

interface Notice {
  readonly type: 'door.notice';
  readonly notice: typeof NOTICE;
  readonly version: number;
  readonly stopped: boolean;
}

const isNotice = (event: EventObject): event is Notice => (event as Partial<Notice>).notice === NOTICE;

const freeze = (status: AgentDoorSnapshot['status'], context: AgentDoorContext): AgentDoorSnapshot =>
  Object.freeze({ status, output: undefined, error: undefined, context: Object.freeze(context) });

/**
 * The actor an agent's logic is given instead of the state's: every command
 * sent to it goes on to the state carrying the agent's grant, so the state
 * checks it against the agent's patterns and records the agent as
 * `changedBy`, whatever the command says. Its snapshot mirrors the state's
 * version and ends when the state stops; it holds no value. Created as a
 * GuardedActor, so each event reaching it is a plain copy of its own.
 */
export function agentDoorLogic(wiring: DoorWiring): ActorLogic<AgentDoorSnapshot, StateCommand | Notice> {
  const { grant } = wiring;
  let unwatch: (() => void) | null = null;
  // The actor is public, and its logic with it: the logic itself knows its one actor and when it closed, whatever snapshot or scope it is handed.
  let door: AnyActorRef | null = null;
  let closed = false;
  return {
    getInitialSnapshot: () => {
      const { version, active } = wiring.current();
      return freeze(active ? 'active' : 'done', { agentId: grant.agentId, version, lastCommit: null });
    },
    start: (snapshot, { self }) => {
      if (door !== null || snapshot.status !== 'active') return;
      door = self;
      const notice = (stopped: boolean, version: number) => self.send({ type: 'door.notice', notice: NOTICE, version, stopped });
      unwatch = wiring.watch(
        (version) => notice(false, version),
        () => notice(true, wiring.current().version),
      );
    },
    // Nothing to persist that a restart could use: the grant lives in this process only.
    getPersistedSnapshot: (snapshot) => snapshot,
    transition: (snapshot, event, scope) => {
      if ((event as EventObject).type === 'xstate.stop') {
        closed = true;
        unwatch?.();
        return freeze('stopped', snapshot.context);
      }
      if (closed || scope.self !== door || snapshot.status !== 'active') return snapshot;
      if (isNotice(event)) {
        closed = event.stopped;
        if (event.stopped) unwatch?.();
        return freeze(event.stopped ? 'done' : 'active', { agentId: grant.agentId, version: event.version, lastCommit: { version: event.version } });
      }
      // A command of the door's own making, the grant over anything the sender put there: the grant is never handed to an object of theirs.
      const command = { ...event, grant } as StateCommand;
      // As from where its reply goes, the agent itself for agents' clients, so inspectors show the agent sending it.
      const sender = isActorRef(command.replyTo) ? command.replyTo : scope.self;
      scope.defer(() => wiring.forward(command, sender, scope.self));
      return snapshot;
    },
  };
}
