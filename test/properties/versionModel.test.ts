import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createThreadSafeState, StateConflictError, StateRollbackError, StateVersionError } from 'concord-state';

/**
 * Random command sequences against an obviously correct model: a plain Map
 * per version, and the history as a list of (version, record count) that
 * drops whole versions from the front.
 */
type Command =
  | { kind: 'set'; key: string; value: unknown }
  | { kind: 'update'; values: [string, unknown][] }
  | { kind: 'delete'; key: string }
  | { kind: 'clear' }
  | { kind: 'modify'; key: string; fails: boolean }
  | { kind: 'rollback'; back: number }
  | { kind: 'clearHistory' }
  | { kind: 'staleSet'; key: string };

const key = fc.constantFrom('a', 'b', 'c', '__proto__', 'constructor');
const value = fc.oneof(
  fc.integer({ min: -5, max: 5 }),
  fc.constant(null),
  fc.constant(undefined),
  fc.record({ list: fc.array(fc.integer(), { maxLength: 3 }) }),
);
const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), key, value }),
  fc.record({ kind: fc.constant('update' as const), values: fc.uniqueArray(fc.tuple(key, value), { selector: ([k]) => k, maxLength: 4 }) }),
  fc.record({ kind: fc.constant('delete' as const), key }),
  fc.record({ kind: fc.constant('clear' as const) }),
  fc.record({ kind: fc.constant('modify' as const), key, fails: fc.boolean() }),
  fc.record({ kind: fc.constant('rollback' as const), back: fc.integer({ min: -1, max: 8 }) }),
  fc.record({ kind: fc.constant('clearHistory' as const) }),
  fc.record({ kind: fc.constant('staleSet' as const), key }),
);

class Model {
  readonly contents: Map<string, unknown>[] = [new Map<string, unknown>()];
  readonly groups: { version: number; records: number }[] = [];
  /** Keys each version wrote, to count a rollback's records: one per key changed since its target. */
  readonly touched: Set<string>[] = [new Set()];
  floor = 0;
  constructor(readonly maxHistorySize: number) {}
  get version() {
    return this.contents.length - 1;
  }
  get current() {
    return this.contents[this.version] as Map<string, unknown>;
  }
  write(next: Map<string, unknown>, keys: Iterable<string>) {
    const touched = new Set(keys);
    const records = touched.size;
    this.touched.push(touched);
    this.contents.push(next);
    const version = this.version;
    if (records > this.maxHistorySize) {
      this.groups.length = 0;
      this.floor = version;
      return;
    }
    while (this.groups.reduce((sum, g) => sum + g.records, 0) + records > this.maxHistorySize)
      this.floor = (this.groups.shift() as { version: number }).version;
    this.groups.push({ version, records });
  }
}

const plain = (snapshot: object) => new Map(Object.entries(snapshot));

describe('command sequences against a model', () => {
  it('contents, versions, time-travel reads and rollback errors always match the model', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 8 }), fc.array(command, { maxLength: 40 }), async (maxHistorySize, commands) => {
        const state = createThreadSafeState<Record<string, unknown>>({ maxHistorySize });
        const model = new Model(maxHistorySize);
        for (const cmd of commands) {
          const next = new Map(model.current);
          switch (cmd.kind) {
            case 'set':
              next.set(cmd.key, cmd.value);
              await state.set(cmd.key, cmd.value);
              model.write(next, [cmd.key]);
              break;
            case 'update':
              for (const [k, v] of cmd.values) next.set(k, v);
              await state.update(Object.fromEntries(cmd.values));
              if (cmd.values.length > 0)
                model.write(
                  next,
                  cmd.values.map(([k]) => k),
                );
              break;
            case 'delete':
              expect(await state.delete(cmd.key)).toBe(next.delete(cmd.key));
              if (model.current.has(cmd.key)) model.write(next, [cmd.key]);
              break;
            case 'clear':
              await state.clear();
              if (next.size > 0) model.write(new Map(), next.keys());
              break;
            case 'modify': {
              const recipe = (n: unknown) => {
                if (cmd.fails) throw new Error('recipe failed');
                return typeof n === 'number' ? n + 1 : 1;
              };
              const result = state.modify(cmd.key, recipe);
              if (cmd.fails) {
                await expect(result).rejects.toThrow('recipe failed');
              } else {
                const before = model.current.get(cmd.key);
                next.set(cmd.key, typeof before === 'number' ? before + 1 : 1);
                expect(await result).toBe(next.get(cmd.key));
                model.write(next, [cmd.key]);
              }
              break;
            }
            case 'rollback': {
              const target = model.version - cmd.back;
              const result = state.rollback(target);
              if (target < 0 || target >= model.version) await expect(result).rejects.toBeInstanceOf(StateVersionError);
              else if (target < model.floor) await expect(result).rejects.toBeInstanceOf(StateRollbackError);
              else {
                const restored = new Map(model.contents[target]);
                await result;
                model.write(
                  restored,
                  model.touched.slice(target + 1).flatMap((keys) => [...keys]),
                );
              }
              break;
            }
            case 'clearHistory':
              await state.clearHistory();
              model.groups.length = 0;
              model.floor = model.version;
              break;
            case 'staleSet':
              await expect(state.set(cmd.key, 0, { expectedVersion: model.version + 1 })).rejects.toBeInstanceOf(StateConflictError);
              break;
          }
          expect(state.getVersion()).toBe(model.version);
          expect(plain(state.snapshot())).toEqual(model.current);
          expect(state.size).toBe(model.current.size);
          const history = state.getHistory();
          expect(history.length).toBeLessThanOrEqual(maxHistorySize);
          expect(history.length).toBe(model.groups.reduce((sum, g) => sum + g.records, 0));
          for (let v = model.floor; v <= model.version; v++) expect(plain(state.snapshotAt(v))).toEqual(model.contents[v]);
          if (model.floor > 0) expect(() => state.snapshotAt(model.floor - 1)).toThrow(StateRollbackError);
        }
        state.stop();
      }),
      { numRuns: 300 },
    );
  });
});
