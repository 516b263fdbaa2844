import fc from 'fast-check';
import type { WriteOptions } from '../threadSafeState.ts';
import { checkInvariants, contentsOf, expectOutcome, type TakenSnapshot } from './invariants.ts';
import { recipeOf, type RecipeName } from './recipes.ts';
import type { Expected, ReferenceModel } from './referenceModel.ts';
import type { StateSubject } from './subject.ts';

/** The model, the snapshots a run has taken so far, and the calls it made, as code. */
export interface RunModel {
  readonly reference: ReferenceModel;
  readonly taken: TakenSnapshot[];
  /** Written as each call is made, so a failure reports exactly the run that failed. */
  readonly transcript: string[];
}

/** Whether a write carries `expectedVersion`: none, the current version, a stale (older) one, or one from the future. */
export type VersionGuard = 'none' | 'right' | 'stale' | 'future';

const show = (value: unknown) => fc.stringify(value);

function guardOf(model: ReferenceModel, guard: VersionGuard): number | undefined {
  switch (guard) {
    case 'none':
      return undefined;
    case 'right':
      return model.version;
    case 'stale':
      // Version 0 has no older one: a future version is just as wrong.
      return model.version > 0 ? model.version - 1 : model.version + 1;
    case 'future':
      return model.version + 1;
  }
}

function optionsText(expectedVersion: number | undefined): string {
  return expectedVersion === undefined ? '' : `, { expectedVersion: ${expectedVersion} }`;
}

/**
 * One command of a model run: the model says what must happen, the state
 * does it, and then every invariant is checked. `toString` prints the call as
 * code, so a shrunk failure reads as a test to paste.
 */
abstract class ModelCommand implements fc.AsyncCommand<RunModel, StateSubject> {
  /** The call being made, as code; also written to the run's transcript. */
  protected call = '';

  check(): boolean {
    return true;
  }

  async run(model: RunModel, real: StateSubject): Promise<void> {
    try {
      await this.apply(model, real);
      await checkInvariants(model.reference, real, model.taken);
    } finally {
      model.transcript.push(`await state.${this.call}`);
    }
  }

  protected abstract apply(model: RunModel, real: StateSubject): Promise<void>;

  /** What fast-check prints; the transcript of the failing run is the exact account. */
  toString(): string {
    return `state.${this.constructor.name.replace(/Command$/, '').toLowerCase()}(...)`;
  }
}

abstract class WriteCommand extends ModelCommand {
  constructor(protected readonly guard: VersionGuard) {
    super();
  }

  protected async apply({ reference }: RunModel, real: StateSubject): Promise<void> {
    const expectedVersion = guardOf(reference, this.guard);
    const options: WriteOptions = expectedVersion === undefined ? {} : { expectedVersion };
    this.call = this.describe(optionsText(expectedVersion));
    const actual = this.send(real, options);
    await expectOutcome(this.call, actual, this.expect(reference, expectedVersion));
  }

  protected abstract describe(options: string): string;
  protected abstract send(real: StateSubject, options: WriteOptions): Promise<unknown>;
  protected abstract expect(model: ReferenceModel, expectedVersion: number | undefined): Expected;
}

export class SetCommand extends WriteCommand {
  constructor(
    readonly key: string,
    readonly value: unknown,
    guard: VersionGuard,
  ) {
    super(guard);
  }
  protected describe(options: string) {
    return `set(${show(this.key)}, ${show(this.value)}${options})`;
  }
  protected send(real: StateSubject, options: WriteOptions) {
    return real.set(this.key, this.value, options);
  }
  protected expect(model: ReferenceModel, expectedVersion: number | undefined) {
    return model.set(this.key, this.value, expectedVersion);
  }
}

export class UpdateCommand extends WriteCommand {
  constructor(
    readonly entries: readonly (readonly [string, unknown])[],
    guard: VersionGuard,
  ) {
    super(guard);
  }
  #values(): Record<string, unknown> {
    const values: Record<string, unknown> = {};
    for (const [key, value] of this.entries) Object.defineProperty(values, key, { value, enumerable: true, writable: true, configurable: true });
    return values;
  }
  protected describe(options: string) {
    return `update(${show(this.#values())}${options})`;
  }
  protected send(real: StateSubject, options: WriteOptions) {
    return real.update(this.#values(), options);
  }
  protected expect(model: ReferenceModel, expectedVersion: number | undefined) {
    return model.update(this.entries, expectedVersion);
  }
}

export class DeleteCommand extends WriteCommand {
  constructor(
    readonly key: string,
    guard: VersionGuard,
  ) {
    super(guard);
  }
  protected describe(options: string) {
    return `delete(${show(this.key)}${options})`;
  }
  protected send(real: StateSubject, options: WriteOptions) {
    return real.delete(this.key, options);
  }
  protected expect(model: ReferenceModel, expectedVersion: number | undefined) {
    return model.delete(this.key, expectedVersion);
  }
}

export class ClearCommand extends WriteCommand {
  protected describe(options: string) {
    return `clear(${options.slice(2)})`;
  }
  protected send(real: StateSubject, options: WriteOptions) {
    return real.clear(options);
  }
  protected expect(model: ReferenceModel, expectedVersion: number | undefined) {
    return model.clear(expectedVersion);
  }
}

export class ModifyCommand extends WriteCommand {
  constructor(
    readonly key: string,
    readonly recipe: RecipeName,
    guard: VersionGuard,
  ) {
    super(guard);
  }
  protected describe(options: string) {
    return `modify(${show(this.key)}, recipes.${this.recipe}${options})`;
  }
  protected send(real: StateSubject, options: WriteOptions) {
    return real.modify(this.key, recipeOf(this.recipe), options);
  }
  protected expect(model: ReferenceModel, expectedVersion: number | undefined) {
    return model.modify(this.key, recipeOf(this.recipe), expectedVersion);
  }
}

/** Where a rollback aims: a version in the window, the current one, a future one, one already evicted, or below 0. */
export type RollbackTarget = 'reachable' | 'current' | 'future' | 'evicted' | 'negative';

export class RollbackCommand extends WriteCommand {
  #target = 0;
  constructor(
    readonly aim: RollbackTarget,
    readonly pick: number,
    guard: VersionGuard,
  ) {
    super(guard);
  }
  protected describe(options: string) {
    return `rollback(${this.#target}${options})`;
  }
  protected send(real: StateSubject, options: WriteOptions) {
    return real.rollback(this.#target, options);
  }
  protected expect(model: ReferenceModel, expectedVersion: number | undefined) {
    return model.rollback(this.#target, expectedVersion);
  }
  protected override apply(model: RunModel, real: StateSubject): Promise<void> {
    this.#target = aimAt(model.reference, this.aim, this.pick);
    return super.apply(model, real);
  }
}

function aimAt(model: ReferenceModel, aim: RollbackTarget, pick: number): number {
  const { floor, version } = model;
  switch (aim) {
    case 'reachable':
      return floor + Math.floor(pick * Math.max(0, version - floor));
    case 'current':
      return version;
    case 'future':
      return version + 1 + Math.floor(pick * 3);
    case 'evicted':
      return floor > 0 ? Math.floor(pick * floor) : -1;
    case 'negative':
      return -1;
  }
}

/** Where a snapshot is read: the current version, one in the window, or one that does not exist yet. */
export type SnapshotTarget = 'current' | 'reachable' | 'future';

/** Takes a snapshot and keeps it, to check it never changes; a future version must be refused. */
export class SnapshotCommand extends ModelCommand {
  constructor(
    readonly aim: SnapshotTarget,
    readonly pick: number,
  ) {
    super();
  }
  protected async apply({ reference, taken }: RunModel, real: StateSubject): Promise<void> {
    const version = this.aim === 'current' ? reference.version : aimAt(reference, this.aim, this.pick);
    this.call = this.aim === 'current' ? 'snapshot()' : `snapshotAt(${version})`;
    const expected = reference.readAt(version);
    const read = real.snapshot(this.aim === 'current' ? undefined : version);
    if (!expected.ok) return expectOutcome(this.call, read, expected);
    const snapshot = await read;
    await expectOutcome(this.call, Promise.resolve(contentsOf(snapshot)), expected);
    taken.push({ version, snapshot });
  }
}

/** Reads the history by key and limit: newest first, only that key, at most `limit`, all from the model. */
export class HistoryCommand extends ModelCommand {
  constructor(
    readonly key: string | undefined,
    readonly limit: number | undefined,
  ) {
    super();
  }
  protected async apply({ reference }: RunModel, real: StateSubject): Promise<void> {
    const query = { ...(this.key === undefined ? {} : { key: this.key }), ...(this.limit === undefined ? {} : { limit: this.limit }) };
    this.call = `getHistory(${show(query)})`;
    const records = await real.history(query);
    const expected = reference.heldRecords().filter((record) => this.key === undefined || record.key === this.key);
    const expectedLength = Math.min(expected.length, this.limit ?? Number.POSITIVE_INFINITY);
    if (records.length !== expectedLength) throw new Error(`${this.call} returned ${records.length} records, the model says ${expectedLength}`);
    if (records.some((record) => this.key !== undefined && record.key !== this.key)) throw new Error(`${this.call} returned records of other keys`);
    const newestExpected = expected.slice(0, expectedLength).map((record) => record.version);
    if (records.some((record, i) => record.version !== newestExpected[i])) {
      throw new Error(`${this.call} returned versions ${show(records.map((r) => r.version))}, the model says ${show(newestExpected)}`);
    }
  }
}

export class ClearHistoryCommand extends ModelCommand {
  protected async apply({ reference }: RunModel, real: StateSubject): Promise<void> {
    this.call = 'clearHistory()';
    await expectOutcome(this.call, real.clearHistory(), reference.clearHistory());
  }
}
