import { createActor, fromCallback, type AnyActorRef } from 'xstate';
import type { StateReply } from '../protocol.ts';
import { sendFrom } from '../xstateInternals.ts';
import { StateClient, type StateClientOptions, type StateTransport } from './stateClient.ts';

/** A client and what it holds; `dispose` stops its reply inbox and rejects what still waits. */
export interface ConnectedClient {
  readonly client: StateClient;
  readonly dispose: (reason?: unknown) => void;
}

interface CommitView {
  readonly context?: { readonly lastCommit?: { readonly version: number } | null };
}

/** Calls `listener` with the version of every write `stateActor` applies; returns the unsubscribe function. */
export function watchCommits(stateActor: AnyActorRef, listener: (version: number) => void): () => void {
  const subscription = stateActor.subscribe((snapshot: CommitView) => {
    const commit = snapshot.context?.lastCommit;
    if (commit) listener(commit.version);
  });
  return () => subscription.unsubscribe();
}

/** The transport of a client in the same process as the state actor: commands sent from `replyTo`, answered there; commits watched on its snapshots. */
export function inProcessTransport(stateActor: AnyActorRef, replyTo: AnyActorRef): StateTransport {
  return {
    send: (command) => sendFrom(replyTo, stateActor, Object.assign(command, { replyTo })),
    watch: (listener) => watchCommits(stateActor, listener),
    watchStop: (listener) => {
      if ((stateActor.getSnapshot() as { status?: unknown }).status !== 'active') listener();
      else stateActor.subscribe({ complete: listener, error: listener });
    },
  };
}

/**
 * Connects a client to a state actor from outside any actor: replies go to
 * a small inbox actor made for it. Agents made with `fromAgent` are their
 * own inbox instead.
 */
export function connectInProcess(stateActor: AnyActorRef, options: StateClientOptions): ConnectedClient {
  // eslint-disable-next-line prefer-const -- the inbox's handler reads it, and may run before it is assigned
  let client: StateClient | undefined;
  const inbox = createActor(fromCallback<StateReply>(({ receive }) => receive((reply) => client?.receive(reply)))).start();
  client = new StateClient(inProcessTransport(stateActor, inbox), options);
  const connected = client;
  return {
    client: connected,
    dispose: (reason = new Error(`agent ${options.agentId} stopped`)) => {
      connected.close(reason);
      inbox.stop();
    },
  };
}
