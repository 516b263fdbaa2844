import type { AgentInput } from '../../actors/fromAgent.ts';
import type { WorkflowState } from './workflowState.ts';

/** What a workflow's own bookkeeping agent is started with: a handle's actor, and how to release it once the agent is done. */
export interface BookkeepingInput extends AgentInput {
  readonly release: () => void;
}

/**
 * The input of a bookkeeping agent writing `write` as `agentId`, through a
 * handle of its own, so it writes as its agent on any state, a replicated one
 * too, where only handles' actors take commands.
 */
export function bookkeeper(state: WorkflowState, agentId: string, write?: readonly string[]): BookkeepingInput {
  const handle = state.forAgent(agentId, write === undefined ? {} : { write });
  return { agentId, state: handle.actor, release: () => handle.release() };
}
