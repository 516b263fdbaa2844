import type { StateSnapshot, ThreadSafeState } from '../threadSafeState.ts';

/** The keys a workflow keeps in the shared state (the reference's completed_steps and completed_agents). */
export interface WorkflowStateShape {
  completedSteps: string[];
  completedAgents: string[];
}

/** The shared state a workflow runs on. */
export type WorkflowState = ThreadSafeState<WorkflowStateShape>;

/**
 * Resolves when `agentId` is recorded as completed; rejects with
 * StateTimeoutError after `timeout` ms. Built on waitFor: no polling.
 */
export function waitForAgentCompletion<T extends WorkflowStateShape>(
  state: ThreadSafeState<T>,
  agentId: string,
  options: { timeout?: number } = {},
): Promise<StateSnapshot<T>> {
  return state.waitFor((snapshot) => (snapshot as StateSnapshot<WorkflowStateShape>).completedAgents?.includes(agentId) ?? false, options);
}

/** True when every stage `dependsOn` names is complete (the reference's is_step_ready). */
export function isStepReady(snapshot: { readonly completedSteps?: readonly string[] }, dependsOn: readonly string[]): boolean {
  return dependsOn.every((step) => snapshot.completedSteps?.includes(step) ?? false);
}

/** The reference's performance monitor, from the state's own counters. */
export interface PerformanceReport {
  totalOperations: number;
  /** Reads (gets and snapshots) per write; 0 before the first write. */
  readWriteRatio: number;
  cacheHitRate: number;
  currentVersion: number;
  stateSize: number;
  historySize: number;
}

/** Reads the counters of `state` into a report. */
export function monitorPerformance<T extends object>(state: ThreadSafeState<T>): PerformanceReport {
  const metrics = state.getMetrics();
  const reads = metrics.getCount + metrics.snapshotCount;
  const writes = metrics.setCount + metrics.deleteCount + metrics.rollbackCount;
  return {
    totalOperations: reads + writes,
    readWriteRatio: writes === 0 ? 0 : reads / writes,
    cacheHitRate: metrics.cacheHitRate,
    currentVersion: state.getVersion(),
    stateSize: state.size,
    historySize: state.getHistory().length,
  };
}
