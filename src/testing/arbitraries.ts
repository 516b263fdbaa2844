import fc from 'fast-check';
import {
  ClearCommand,
  ClearHistoryCommand,
  DeleteCommand,
  HistoryCommand,
  ModifyCommand,
  RollbackCommand,
  SetCommand,
  SnapshotCommand,
  UpdateCommand,
  type RollbackTarget,
  type SnapshotTarget,
  type RunModel,
  type VersionGuard,
} from './modelCommands.ts';
import { recipes, type RecipeName } from './recipes.ts';
import type { StateSubject } from './subject.ts';

/** The default key alphabet: small, so commands collide, with the names that break naive objects. */
export const DEFAULT_KEYS: readonly string[] = ['a', 'b', 'c', '__proto__', 'constructor'];

/** Keys drawn from `alphabet`. */
export function keyArbitrary(alphabet: readonly string[] = DEFAULT_KEYS): fc.Arbitrary<string> {
  return fc.constantFrom(...alphabet);
}

/** Values the state stores: null, undefined, numbers, strings, nested objects, arrays, Dates and Maps. */
export function valueArbitrary(): fc.Arbitrary<unknown> {
  const leaf = fc.oneof(fc.constant(null), fc.constant(undefined), fc.integer({ min: -3, max: 3 }), fc.string({ maxLength: 3 }));
  const { value } = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.array(tie('value'), { maxLength: 3 }),
      fc.dictionary(fc.constantFrom('x', 'y', 'list'), tie('value'), { maxKeys: 3 }),
      fc.date({ min: new Date(0), max: new Date(2e12), noInvalidDate: true }),
      fc.array(fc.tuple(fc.constantFrom('p', 'q'), leaf), { maxLength: 2 }).map((entries) => new Map(entries)),
    ),
  }));
  return value;
}

/** The kinds of command a run draws from. */
export type CommandKind = 'set' | 'update' | 'delete' | 'clear' | 'modify' | 'rollback' | 'snapshot' | 'history' | 'clearHistory';

/** How often each kind is drawn, relative to the others; a kind left out is never drawn. */
export type CommandMix = Partial<Record<CommandKind, number>>;

/** The default mix: mostly writes, rollbacks often enough to cross the history window. */
export const DEFAULT_MIX: Readonly<Required<CommandMix>> = {
  set: 5,
  update: 2,
  delete: 2,
  clear: 1,
  modify: 3,
  rollback: 3,
  snapshot: 2,
  history: 1,
  clearHistory: 1,
};

const guard: fc.Arbitrary<VersionGuard> = fc.constantFrom<VersionGuard>('none', 'none', 'right', 'stale', 'future');
const fraction = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

/** One arbitrary per command kind of `mix`, weighted, for `fc.commands`. */
export function commandArbitraries(
  keys: readonly string[] = DEFAULT_KEYS,
  mix: CommandMix = DEFAULT_MIX,
  values: fc.Arbitrary<unknown> = valueArbitrary(),
): fc.Arbitrary<fc.AsyncCommand<RunModel, StateSubject>>[] {
  const key = keyArbitrary(keys);
  const recipe = fc.constantFrom(...(Object.keys(recipes) as RecipeName[]));
  const byKind: Record<CommandKind, fc.Arbitrary<fc.AsyncCommand<RunModel, StateSubject>>> = {
    set: fc.tuple(key, values, guard).map(([k, v, g]) => new SetCommand(k, v, g)),
    update: fc.tuple(fc.uniqueArray(fc.tuple(key, values), { selector: ([k]) => k, maxLength: 4 }), guard).map(([entries, g]) => new UpdateCommand(entries, g)),
    delete: fc.tuple(key, guard).map(([k, g]) => new DeleteCommand(k, g)),
    clear: guard.map((g) => new ClearCommand(g)),
    modify: fc.tuple(key, recipe, guard).map(([k, r, g]) => new ModifyCommand(k, r, g)),
    rollback: fc
      .tuple(fc.constantFrom<RollbackTarget>('reachable', 'reachable', 'reachable', 'current', 'future', 'evicted', 'negative'), fraction, guard)
      .map(([aim, pick, g]) => new RollbackCommand(aim, pick, g)),
    snapshot: fc
      .tuple(fc.constantFrom<SnapshotTarget>('current', 'reachable', 'reachable', 'future'), fraction)
      .map(([aim, pick]) => new SnapshotCommand(aim, pick)),
    history: fc.tuple(fc.option(key, { nil: undefined }), fc.option(fc.nat(6), { nil: undefined })).map(([k, limit]) => new HistoryCommand(k, limit)),
    clearHistory: fc.constant(new ClearHistoryCommand()),
  };
  const weighted = Object.entries(mix).flatMap(([kind, weight]) => {
    if (!(kind in byKind)) throw new TypeError(`mix: unknown command kind "${kind}"; expected some of ${Object.keys(byKind).join(', ')}`);
    if (!(Number.isInteger(weight) && weight >= 0)) throw new TypeError(`mix: the weight of "${kind}" must be a whole number >= 0, received ${String(weight)}`);
    return Array.from({ length: weight }, () => byKind[kind as CommandKind]);
  });
  if (weighted.length === 0) throw new TypeError('mix: give at least one command kind a weight above 0');
  return weighted;
}
