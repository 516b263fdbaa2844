import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import type { StateChangeRecord } from '../schemas.ts';
import type { Expected, ModelRecord, ReferenceModel } from './referenceModel.ts';
import type { StateSubject } from './subject.ts';

/** A snapshot taken during a run; it must never change afterwards. */
export interface TakenSnapshot {
  readonly version: number;
  readonly snapshot: Readonly<Record<string, unknown>>;
}

/** Thrown when the state and the model disagree; fast-check then shrinks the run. */
export class ModelMismatch extends Error {
  override name = 'ModelMismatch';
}

function mismatch(what: string, actual: unknown, expected: unknown): never {
  throw new ModelMismatch(`${what}: the state has ${describe(actual)}, the model says ${describe(expected)}`);
}

function describe(value: unknown): string {
  return fc.stringify(value);
}

/** A snapshot's keys and values as a Map, to compare with the model's contents. */
export function contentsOf(snapshot: Readonly<Record<string, unknown>>): Map<string, unknown> {
  return new Map(Object.keys(snapshot).map((key) => [key, snapshot[key]]));
}

/** Settles `actual` and checks it against what the model expected. */
export async function expectOutcome(what: string, actual: Promise<unknown>, expected: Expected): Promise<void> {
  let result: unknown;
  try {
    result = await actual;
  } catch (error) {
    if (expected.ok) mismatch(`${what} rejected`, error instanceof Error ? `${error.name}: ${error.message}` : error, expected.result);
    if (!(error instanceof expected.error)) mismatch(`${what} rejected with the wrong class`, (error as Error)?.name, expected.error.name);
    return;
  }
  if (!expected.ok) mismatch(`${what} resolved instead of rejecting`, result, expected.error.name);
  if (!isDeepStrictEqual(result, expected.result)) mismatch(`${what} resolved`, result, expected.result);
}

const sortKey = (record: { version: number; key: string }) => `${String(1e15 - record.version).padStart(16, '0')}:${record.key}`;
const recordFields = ({ version, key, operation, existedBefore, existsAfter, oldValue, newValue }: ModelRecord | StateChangeRecord) => ({
  version,
  key,
  operation,
  existedBefore,
  existsAfter,
  oldValue,
  newValue,
});

/**
 * Everything that must hold after every command: the version and contents
 * match the model; every snapshot taken earlier still shows its version;
 * the history is newest first, bounded, and holds exactly the model's
 * records; every version in the window reads as the model's copy of it, and
 * the version below the window cannot be read.
 */
export async function checkInvariants(model: ReferenceModel, real: StateSubject, taken: readonly TakenSnapshot[]): Promise<void> {
  const version = await real.version();
  if (version !== model.version) mismatch('version', version, model.version);
  const current = contentsOf(await real.snapshot());
  if (!isDeepStrictEqual(current, model.current)) mismatch('contents', current, model.current);

  for (const { version: at, snapshot } of taken) {
    const contents = contentsOf(snapshot);
    if (!isDeepStrictEqual(contents, model.contentsAt(at))) mismatch(`the snapshot taken at version ${at}`, contents, model.contentsAt(at));
  }

  const history = await real.history();
  if (history.length > model.maxHistorySize) mismatch('history length', history.length, `at most ${model.maxHistorySize}`);
  for (let i = 1; i < history.length; i++) {
    if ((history[i] as StateChangeRecord).version > (history[i - 1] as StateChangeRecord).version)
      mismatch(
        'history order',
        history.map((r) => r.version),
        'newest first',
      );
  }
  const actualRecords = [...history].sort((a, b) => sortKey(a).localeCompare(sortKey(b))).map(recordFields);
  const expectedRecords = model
    .heldRecords()
    .sort((a, b) => sortKey(a).localeCompare(sortKey(b)))
    .map(recordFields);
  if (!isDeepStrictEqual(actualRecords, expectedRecords)) mismatch('history records', actualRecords, expectedRecords);

  for (let at = model.floor; at <= model.version; at++) {
    const contents = contentsOf(await real.snapshot(at));
    if (!isDeepStrictEqual(contents, model.contentsAt(at))) mismatch(`snapshotAt(${at})`, contents, model.contentsAt(at));
  }
  if (model.floor > 0) await expectOutcome(`snapshotAt(${model.floor - 1})`, real.snapshot(model.floor - 1), model.readAt(model.floor - 1));
}
