import { isDeepStrictEqual } from 'node:util';
import { StateConflictError, StateRecipeError, StateRollbackError, StateVersionError, type ThreadSafeStateError } from '../errors.ts';
import type { ChangeOperation } from '../schemas.ts';
import { cloneStored } from '../values/clone.ts';

/** The error class a command must reject with. */
export type ErrorClass = new (...args: never[]) => ThreadSafeStateError;

/** What the model says a command must do: resolve with `result`, or reject with an instance of `error`. */
export type Expected = { readonly ok: true; readonly result: unknown } | { readonly ok: false; readonly error: ErrorClass };

/** One change as the model sees it; the state's records must match these. */
export interface ModelRecord {
  readonly version: number;
  readonly key: string;
  readonly operation: ChangeOperation;
  readonly existedBefore: boolean;
  readonly existsAfter: boolean;
  readonly oldValue: unknown;
  readonly newValue: unknown;
}

const ok = (result: unknown): Expected => ({ ok: true, result });
/** A deep copy that keeps null prototypes (structuredClone would not), as the state does. */
const copy = <V>(value: V): V => cloneStored(value);
const fail = (error: ErrorClass): Expected => ({ ok: false, error });

/**
 * An obviously correct state: a full copy of the contents at every version,
 * the records of every version, and the history window as a list of whole
 * versions dropped from the front. Slow and simple on purpose: the real
 * state is checked against it after every command.
 */
export class ReferenceModel {
  readonly #contents: Map<string, unknown>[];
  readonly #records: ModelRecord[][] = [[]];
  /** Versions whose records the history holds, oldest first. */
  readonly #held: number[] = [];
  #floor = 0;

  constructor(
    readonly maxHistorySize: number,
    initial: Readonly<Record<string, unknown>> = {},
  ) {
    this.#contents = [new Map(Object.entries(copy(initial)))];
  }

  get version(): number {
    return this.#contents.length - 1;
  }

  /** The oldest version that can still be rolled back to or read at. */
  get floor(): number {
    return this.#floor;
  }

  contentsAt(version: number): ReadonlyMap<string, unknown> {
    return this.#contents[version] as Map<string, unknown>;
  }

  get current(): ReadonlyMap<string, unknown> {
    return this.contentsAt(this.version);
  }

  /** The records the history must hold, newest version first. */
  heldRecords(): ModelRecord[] {
    return [...this.#held].reverse().flatMap((version) => this.#records[version] as ModelRecord[]);
  }

  set(key: string, value: unknown, expectedVersion?: number): Expected {
    return this.#write(expectedVersion, () => {
      this.#commit([[key, copy(value)]], 'set');
      return ok(this.version);
    });
  }

  update(entries: readonly (readonly [string, unknown])[], expectedVersion?: number): Expected {
    return this.#write(expectedVersion, () => {
      if (entries.length > 0)
        this.#commit(
          entries.map(([key, value]) => [key, copy(value)]),
          'update',
        );
      return ok(this.version);
    });
  }

  delete(key: string, expectedVersion?: number): Expected {
    return this.#write(expectedVersion, () => {
      if (!this.current.has(key)) return ok(false);
      this.#commit([[key, ABSENT]], 'delete');
      return ok(true);
    });
  }

  clear(expectedVersion?: number): Expected {
    return this.#write(expectedVersion, () => {
      if (this.current.size > 0)
        this.#commit(
          [...this.current.keys()].map((key) => [key, ABSENT]),
          'clear',
        );
      return ok(this.version);
    });
  }

  /** `recipe` gets a copy, as immer's draft; its return value (or the mutated copy) is the next value. */
  modify(key: string, recipe: (draft: unknown) => unknown, expectedVersion?: number): Expected {
    return this.#write(expectedVersion, () => {
      const present = this.current.has(key);
      const draft = copy(this.current.get(key));
      let returned: unknown;
      try {
        returned = recipe(draft);
      } catch {
        return fail(StateRecipeError);
      }
      const next = returned === undefined ? draft : returned;
      const unchanged = present ? isDeepStrictEqual(next, this.current.get(key)) : next === undefined;
      if (!unchanged) this.#commit([[key, next]], 'set');
      return ok(copy(next));
    });
  }

  rollback(target: number, expectedVersion?: number): Expected {
    return this.#write(expectedVersion, () => {
      if (target < 0 || target >= this.version) return fail(StateVersionError);
      if (target < this.#floor) return fail(StateRollbackError);
      const changedSince = new Set(this.#records.slice(target + 1).flatMap((records) => records.map((record) => record.key)));
      const old = this.contentsAt(target);
      this.#commit(
        [...changedSince].map((key) => [key, old.has(key) ? copy(old.get(key)) : ABSENT]),
        'rollback',
      );
      return ok(this.version);
    });
  }

  clearHistory(): Expected {
    this.#held.length = 0;
    this.#floor = this.version;
    return ok(undefined);
  }

  /** What reading at `version` must do. */
  readAt(version: number): Expected {
    if (version < 0 || version > this.version) return fail(StateVersionError);
    if (version < this.#floor) return fail(StateRollbackError);
    return ok(this.contentsAt(version));
  }

  #write(expectedVersion: number | undefined, apply: () => Expected): Expected {
    if (expectedVersion !== undefined && expectedVersion !== this.version) return fail(StateConflictError);
    return apply();
  }

  #commit(changes: readonly (readonly [string, unknown])[], operation: ChangeOperation): void {
    const before = this.current;
    const after = new Map(before);
    const version = this.version + 1;
    const records = changes.map(([key, value]): ModelRecord => {
      if (value === ABSENT) after.delete(key);
      else after.set(key, value);
      return {
        version,
        key,
        operation,
        existedBefore: before.has(key),
        existsAfter: value !== ABSENT,
        oldValue: before.get(key),
        newValue: value === ABSENT ? undefined : value,
      };
    });
    this.#contents.push(after);
    this.#records.push(records);
    if (records.length > this.maxHistorySize) {
      this.#held.length = 0;
      this.#floor = version;
      return;
    }
    const heldCount = () => this.#held.reduce((sum, held) => sum + (this.#records[held] as ModelRecord[]).length, 0);
    while (heldCount() + records.length > this.maxHistorySize) this.#floor = this.#held.shift() as number;
    this.#held.push(version);
  }
}

const ABSENT = Symbol('absent');
