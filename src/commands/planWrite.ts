import { StateRecipeError, StateRollbackError, StateValidationError } from '../errors.ts';
import type { CommandOf, WriteCommand } from '../protocol.ts';
import { ABSENT } from '../store/versionedStore.ts';
import { cloneStored } from '../values/clone.ts';
import type { Change } from './commit.ts';
import { produce, sameValue } from './recipe.ts';
import { assertReachable } from './reachable.ts';
import { describeThrown } from '../describeThrown.ts';
import type { StateEngine } from './stateEngine.ts';

/** What a write will change, and what its reply will say. No changes: nothing is written. */
export interface WritePlan {
  readonly changes: readonly Change[];
  readonly result: unknown;
}

const noChange = (result: unknown): WritePlan => ({ changes: [], result });

/**
 * Works out a write without touching anything: every check that can fail runs
 * here, before `commit`, so a rejected command leaves no trace.
 */
export function planWrite(engine: StateEngine, command: WriteCommand): WritePlan {
  const next = engine.version + 1;
  switch (command.type) {
    case 'state.set':
      return { changes: [{ key: command.key, next: engine.guard(command.key, command.value), operation: 'set' }], result: next };
    case 'state.update':
      return planUpdate(engine, command.values, next);
    case 'state.delete':
      if (engine.store.latest(command.key) === ABSENT) return noChange(false);
      return { changes: [{ key: command.key, next: ABSENT, operation: 'delete' }], result: true };
    case 'state.clear': {
      const keys = engine.store.keys();
      if (keys.length === 0) return noChange(engine.version);
      return { changes: keys.map((key) => ({ key, next: ABSENT, operation: 'clear' as const })), result: next };
    }
    case 'state.modify':
      return planModify(engine, command);
    case 'state.rollback':
      return planRollback(engine, command.version, next);
    case 'state.rollbackToKnownGood': {
      const mark = engine.marks.within(engine.history.floor).at(-1);
      if (mark === undefined) {
        throw new StateRollbackError(
          'No known-good mark is inside the history window; markKnownGood() records one',
          engine.history.floor,
          engine.history.floor,
        );
      }
      return mark.version === engine.version ? noChange(engine.version) : planRollback(engine, mark.version, next);
    }
    case 'state.retain': {
      const kept = new Set(command.keys);
      const changes = engine.store.keys().flatMap((key): Change[] => (kept.has(key) ? [] : [{ key, next: ABSENT, operation: 'delete' }]));
      return changes.length === 0 ? noChange(engine.version) : { changes, result: next };
    }
  }
}

function planUpdate(engine: StateEngine, values: Readonly<Record<string, unknown>>, next: number): WritePlan {
  const keys = Object.keys(values);
  if (keys.length === 0) return noChange(engine.version);
  const changes = keys.map((key): Change => {
    if (key === '') throw new StateValidationError(key, [{ path: [], message: 'a key must be a non-empty string' }]);
    return { key, next: engine.guard(key, values[key]), operation: 'update' };
  });
  return { changes, result: next };
}

function planModify(engine: StateEngine, command: CommandOf<'state.modify'>): WritePlan {
  const { key, recipe } = command;
  const current = engine.store.latest(key);
  const base = current !== ABSENT ? current : 'default' in command ? engine.guard(key, command.default) : undefined;
  let produced: unknown;
  try {
    produced = produce(base, recipe);
  } catch (error) {
    const { name, message } = describeThrown(error);
    throw new StateRecipeError(key, name, message);
  }
  // Nothing changed: the key held this very value, or was absent and the recipe gave nothing.
  if (current !== ABSENT ? sameValue(produced, current) : produced === undefined && !('default' in command)) {
    return noChange(cloneStored(current === ABSENT ? undefined : current));
  }
  const stored = engine.guard(key, produced);
  return { changes: [{ key, next: stored, operation: 'set' }], result: cloneStored(stored) };
}

function planRollback(engine: StateEngine, target: number, next: number): WritePlan {
  assertReachable(engine, target, 'rollback');
  // Every key changed since the target is recorded, even one that is back to
  // its old value, so the history always says who rolled back and what.
  const changes: Change[] = [];
  engine.history.valuesAt(target).forEach((value, key) => changes.push({ key, next: value, operation: 'rollback' }));
  return { changes, result: next };
}
