import { StateConflictError, StateKeyConflictError } from '../errors.ts';
import { ModifyOptionsSchema } from '../options.ts';
import type { Recipe } from '../protocol.ts';
import type { ModifyOptions } from '../threadSafeState.ts';
import { checkedKey } from '../values/stateKey.ts';
import type { ValueGuard } from '../values/valueGuard.ts';
import { optionsParsedBy, stamped } from './proposals.ts';
import type { Replica } from './replica.ts';
import { runRecipe } from './runRecipe.ts';
import { sleep } from './sleep.ts';
import type { Proposal } from './streamEntry.ts';

/** What `modify` reads and proposes through, on one replicated state. */
export interface ModifyScope<T extends object> {
  /** The replica as it is now: a reload may replace it between two attempts. */
  replica(): Replica<T>;
  propose(build: () => Proposal): Promise<unknown>;
  readonly guard: ValueGuard;
  readonly clock: () => number;
  readonly maxRetries: number;
}

/**
 * etcd's STM pattern: runs the recipe on the local value and proposes its
 * result against the key's version; on a conflict the replica has the newer
 * write by then, so the recipe runs again on it, after a random backoff, up
 * to `maxRetries` times. With an explicit `expectedKeyVersion` it proposes once.
 */
export async function modifyAcrossProcesses<T extends object>(
  scope: ModifyScope<T>,
  key: string,
  recipe: Recipe,
  options: ModifyOptions<unknown> | undefined,
): Promise<unknown> {
  const { expectedKeyVersion, default: fallback, ...rest } = optionsParsedBy(options, ModifyOptionsSchema);
  const fallbackGiven = typeof options === 'object' && 'default' in options;
  for (let attempt = 0; ; attempt++) {
    checkedKey(key);
    const replica = scope.replica();
    const keyVersion = expectedKeyVersion ?? replica.keyVersion(key);
    const present = replica.state.has(key);
    const result = runRecipe(key, { present, value: present ? replica.state.get(key as never) : undefined }, { given: fallbackGiven, value: fallback }, recipe);
    if (!result.changed) {
      if (rest.expectedVersion !== undefined && rest.expectedVersion !== replica.state.getVersion()) {
        throw new StateConflictError(rest.expectedVersion, replica.state.getVersion());
      }
      return result.value;
    }
    try {
      return await scope.propose(() => {
        scope.guard(key, result.value);
        return stamped({ type: 'set', key, value: result.value, expectedKeyVersion: keyVersion, modify: true }, rest, scope.clock, options);
      });
    } catch (error) {
      if (!(error instanceof StateKeyConflictError) || expectedKeyVersion !== undefined || attempt >= scope.maxRetries) throw error;
      // Full jitter: contending replicas spread out instead of colliding again in step.
      await sleep(Math.random() * Math.min(2 ** attempt, 50));
    }
  }
}
