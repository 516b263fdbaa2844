import type { ActorLogic, ActorScope, AnyActorRef, EventObject, Snapshot, Subscription } from 'xstate';
import type { Grant } from '../src/access/grants.ts';
import { isActorRef, type StateCommand } from '../src/protocol.ts';
import { sendFrom } from '../src/xstateInternals.ts';

/** What an agent's actor shows: whose it is and the state's version, never a value. */
export interface AgentDoorContext {
  readonly agentId: string;
  readonly version: number;
  /** The version of the state's last applied write, for agents' clients that wait for changes. */
  readonly lastCommit: { readonly version: number } | null;
}

export type AgentDoorSnapshot = Snapshot<undefined> & { readonly context: AgentDoorContext };

interface StateView {
  readonly status?: unknown;
  readonly context?: { readonly version?: unknown; readonly lastCommit?: { readonly version: number } | null };
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
 * The actor an agent's logic is given instead of the state actor: every
 * command sent to it goes on to the state carrying the agent's grant, so the
 * state checks it against the agent's patterns and records the agent as
 * `changedBy`, whatever the command says. Its snapshot mirrors the state's
 * version and stops with the state; it holds no value. Created as a
 * GuardedActor, so each event reaching it is a plain copy of its own.
 */
export function agentDoorLogic(state: AnyActorRef, grant: Grant): ActorLogic<AgentDoorSnapshot, StateCommand | Notice> {
  let subscription: Subscription | null = null;
  const notify = (self: AnyActorRef, stopped: boolean) => (view: StateView) => {
    const version = typeof view.context?.version === 'number' ? view.context.version : 0;
    if (stopped || view.context?.lastCommit) self.send({ type: 'door.notice', notice: NOTICE, version, stopped });
  };
  return {
    getInitialSnapshot: () => {
      const view = state.getSnapshot() as StateView;
      const version = typeof view.context?.version === 'number' ? view.context.version : 0;
      return freeze(view.status === 'active' ? 'active' : 'done', { agentId: grant.agentId, version, lastCommit: null });
    },
    start: (snapshot, { self }: ActorScope<AgentDoorSnapshot, StateCommand | Notice>) => {
      if (snapshot.status !== 'active') return;
      const stopped = () => notify(self, true)(state.getSnapshot() as StateView);
      subscription = state.subscribe({ next: notify(self, false), complete: stopped, error: stopped });
    },
    // Nothing to persist that a restart could use: the grant lives in this process only.
    getPersistedSnapshot: (snapshot) => snapshot,
    transition: (snapshot, event, scope) => {
      if ((event as EventObject).type === 'xstate.stop') {
        subscription?.unsubscribe();
        return freeze('stopped', snapshot.context);
      }
      if (snapshot.status !== 'active') return snapshot;
      if (isNotice(event)) {
        if (event.stopped) subscription?.unsubscribe();
        return freeze(event.stopped ? 'done' : 'active', { agentId: grant.agentId, version: event.version, lastCommit: { version: event.version } });
      }
      // The event is the door's own copy (see GuardedActor): the grant is set on it, over anything the sender put there.
      if (!Reflect.set(event, 'grant', grant)) return snapshot;
      // As from where its reply goes, the agent itself for agents' clients, so inspectors show the agent sending it.
      const replyTo = (event as { replyTo?: unknown }).replyTo;
      const sender = isActorRef(replyTo) ? replyTo : scope.self;
      scope.defer(() => {
        try {
          sendFrom(sender, state, event);
        } catch {
          // The state's inspector threw: the state detaches it; the command's sender times out, as with any undelivered command.
        }
      });
      return snapshot;
    },
  };
}
