import { resolveInspector, type ConcordInspector } from '../inspect/ambient.ts';
import type { ThreadSafeStateOptions } from '../options.ts';
import { Replica } from './replica.ts';
import type { ReplicaSnapshot } from './replicaSnapshot.ts';

/**
 * A replica for a replicated state, and the ConcordInspector (the state's
 * own, else the ambient one) the replicated state is to attach itself to:
 * the replica's actor gets only the XState part, so the inspector follows
 * the replicated state, which answers `originOf` and outlives its replicas,
 * instead of the replica's local state, which knows no origins.
 */
export function openReplica<T extends object>(
  options: ThreadSafeStateOptions<T>,
  maxHistorySize: number,
  snapshot: ReplicaSnapshot | null,
): { replica: Replica<T>; concord: ConcordInspector | undefined } {
  const { inspect, concord } = resolveInspector(options.inspect);
  const { inspect: _given, ...rest } = options;
  return { replica: new Replica<T>(inspect === undefined ? rest : { ...rest, inspect }, maxHistorySize, snapshot), concord };
}
