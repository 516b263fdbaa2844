import type { Actor } from 'xstate';
import { agentDoorLogic, type DoorWiring } from '../machines/agentDoor.logic.ts';
import { stateLogic } from '../machines/state.logic.ts';
import type { Grant } from './access/grants.ts';
import type { StateConfig } from './commands/stateEngine.ts';
import type { Inspect } from './inspect/ambient.ts';
import type { AgentActor } from './threadSafeState.ts';
import { GuardedActor, sendFrom } from './xstateInternals.ts';

/** The state actor: send it `state.*` commands, read `getSnapshot().context`. */
export type StateActor = Actor<typeof stateLogic>;

/**
 * Creates and starts the state actor, registered in its system as `state`.
 * Its entry point refuses what would jam or stop it (see xstateInternals.ts).
 */
export function createStateActor(config: StateConfig, inspect?: Inspect): StateActor {
  return new GuardedActor(stateLogic, { input: config, id: 'state', systemId: 'state', ...(inspect ? { inspect } : {}) }).start();
}

/** Creates and starts an agent's actor in front of the state `wiring` reaches (see agentDoorLogic). */
export function createAgentActor(wiring: DoorWiring): AgentActor {
  return new GuardedActor(agentDoorLogic(wiring), { id: `agent:${wiring.grant.agentId}` }).start();
}

interface StateView {
  readonly status?: unknown;
  readonly context?: { readonly version?: unknown; readonly lastCommit?: { readonly version: number } | null };
}

/** An agent's door in front of a state actor of this process: commands go on to it as they are, the grant set. */
export function localDoor(state: StateActor, grant: Grant): DoorWiring {
  const current = () => {
    const { status, context } = state.getSnapshot() as StateView;
    return { version: typeof context?.version === 'number' ? context.version : 0, active: status === 'active' };
  };
  return {
    grant,
    current,
    watch: (onCommit, onStop) => {
      const subscription = state.subscribe({
        next: (view: StateView) => {
          if (view.context?.lastCommit) onCommit(view.context.lastCommit.version);
        },
        complete: onStop,
        error: onStop,
      });
      return () => subscription.unsubscribe();
    },
    forward: (command, sender) => {
      try {
        sendFrom(sender, state, command);
      } catch {
        // The state's inspector threw: the state detaches it; the command's sender times out, as with any undelivered command.
      }
    },
  };
}
