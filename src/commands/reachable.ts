import { StateRollbackError, StateVersionError } from '../errors.ts';
import type { StateEngine } from './stateEngine.ts';

/**
 * Throws unless `target` can be rolled back to (an earlier version) or read
 * at (up to the current one): it must exist and every change after it must
 * still be in the history window.
 */
export function assertReachable(engine: StateEngine, target: number, purpose: 'rollback' | 'read'): void {
  const { version, history } = engine;
  if (target < 0) throw new StateVersionError('Versions start at 0', version, target);
  if (purpose === 'rollback' && target >= version) {
    throw new StateVersionError('Can only roll back to a version before the current one', version, target);
  }
  if (target > version) throw new StateVersionError('That version does not exist yet', version, target);
  if (target < history.floor) {
    throw new StateRollbackError(`Version ${target} is older than the history window`, target, history.floor);
  }
}
