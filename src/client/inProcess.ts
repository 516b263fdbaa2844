import { createActor, fromCallback, type AnyActorRef } from 'xstate';
import type { StateReply } from '../protocol.ts';
import { StateClient, type StateClientOptions } from './stateClient.ts';

/** A client and what it holds; `dispose` stops its reply inbox and rejects what still waits. */
export interface ConnectedClient {
  readonly client: StateClient;
  dispose(reason?: unknown): void;
}

interface CommitView {
  readonly context?: { readonly lastCommit?: { readonly version: number } | null };
}

/**
 * Connects a client to a state actor in the same process. Replies go to a
 * small inbox actor (`replyTo`); changes are watched on the actor's snapshots.
 */
export function connectInProcess(stateActor: AnyActorRef, options: StateClientOptions): ConnectedClient {
  let client: StateClient | undefined;
  const inbox = createActor(fromCallback<StateReply>(({ receive }) => receive((reply) => client?.receive(reply)))).start();
  client = new StateClient(
    {
      send: (command) => stateActor.send({ ...command, replyTo: inbox }),
      watch: (listener) => {
        const subscription = stateActor.subscribe((snapshot: CommitView) => {
          const commit = snapshot.context?.lastCommit;
          if (commit) listener(commit.version);
        });
        return () => subscription.unsubscribe();
      },
    },
    options,
  );
  const connected = client;
  return {
    client: connected,
    dispose: (reason = new Error(`agent ${options.agentId} stopped`)) => {
      connected.close(reason);
      inbox.stop();
    },
  };
}
