import type { Actor } from 'xstate';
import { agentDoorLogic } from '../machines/agentDoor.logic.ts';
import { stateLogic } from '../machines/state.logic.ts';
import type { Grant } from './access/grants.ts';
import type { StateConfig } from './commands/stateEngine.ts';
import type { Inspect } from './inspect/ambient.ts';
import type { AgentActor } from './threadSafeState.ts';
import { GuardedActor } from './xstateInternals.ts';

/** The state actor: send it `state.*` commands, read `getSnapshot().context`. */
export type StateActor = Actor<typeof stateLogic>;

/**
 * Creates and starts the state actor, registered in its system as `state`.
 * Its entry point refuses what would jam or stop it (see xstateInternals.ts).
 */
export function createStateActor(config: StateConfig, inspect?: Inspect): StateActor {
  return new GuardedActor(stateLogic, { input: config, id: 'state', systemId: 'state', ...(inspect ? { inspect } : {}) }).start();
}

/** Creates and starts an agent's actor in front of `state`: what it is sent reaches the state as the agent's (see agentDoorLogic). */
export function createAgentActor(state: StateActor, grant: Grant): AgentActor {
  return new GuardedActor(agentDoorLogic(state, grant), { id: `agent:${grant.agentId}` }).start();
}
