import type { DoorWiring } from '../../machines/agentDoor.logic.ts';
import { runCommand } from '../access/runCommand.ts';
import type { Grant } from '../access/grants.ts';
import { isActorRef, type StateCommand } from '../protocol.ts';
import type { AgentState, StateShape } from '../threadSafeState.ts';
import { sendFrom } from '../xstateInternals.ts';

const READS: ReadonlySet<StateCommand['type']> = new Set([
  'state.get',
  'state.snapshot',
  'state.history',
  'state.metrics',
  'state.version',
  'state.keyVersion',
]);

/** What the door needs of the replicated state besides the handle: its version, and its writes and its close as they happen. */
export interface ReplicatedSource {
  getVersion(): number;
  isClosed(): boolean;
  subscribe(listener: (commit: { version: number }) => void): () => void;
  onClose(listener: () => void): () => void;
}

/**
 * An agent's door in front of a replicated state: each command is run as
 * the call of the agent's handle (its writes proposed to the stream, checked
 * on every replica) and answered to its `replyTo`. Writes go out in the
 * order they came; a read waits for the writes sent before it, so an agent
 * reads its own writes as it would from a local state.
 */
export function replicatedDoor(source: ReplicatedSource, handle: AgentState<StateShape>, grant: Grant): DoorWiring {
  let lastWrite: Promise<unknown> = Promise.resolve();
  return {
    grant,
    current: () => ({ version: source.getVersion(), active: !source.isClosed() }),
    watch: (onCommit, onStop) => {
      const unsubscribe = source.subscribe((commit) => onCommit(commit.version));
      const unclose = source.onClose(onStop);
      return () => {
        unsubscribe();
        unclose();
      };
    },
    forward: (command, _sender, door) => {
      const reply = READS.has(command.type) ? lastWrite.then(() => runCommand(handle, command)) : runCommand(handle, command);
      if (!READS.has(command.type)) lastWrite = reply;
      const { replyTo } = command;
      // A command naming no replyTo has no one to answer here: a replicated state's snapshot carries no reply.
      if (!isActorRef(replyTo)) return;
      void reply.then((answer) => {
        try {
          sendFrom(door, replyTo, answer);
        } catch {
          // Undeliverable (the agent's inspector threw): dropped, as the state actor drops it.
        }
      });
    },
  };
}
