import fc from 'fast-check';
import type { ThreadSafeState } from '../threadSafeState.ts';
import { commandArbitraries, DEFAULT_KEYS, DEFAULT_MIX, type CommandMix } from './arbitraries.ts';
import type { RunModel } from './modelCommands.ts';
import { ReferenceModel } from './referenceModel.ts';
import { soakRuns } from './soak.ts';
import { subjectFromState, type StateSubject } from './subject.ts';

/** Options of `checkStateModel` and `stateModelProperty`. */
export interface StateModelOptions {
  /** Sequences to run; the FC_NUM_RUNS environment variable raises it for a soak. @default 100 */
  numRuns?: number;
  /** Longest sequence. @default 50 */
  maxCommands?: number;
  /** The key alphabet. @default ['a', 'b', 'c', '__proto__', 'constructor'] */
  keys?: readonly string[];
  /** Relative weight of each command kind; a kind left out is never drawn. @default DEFAULT_MIX */
  mix?: CommandMix;
  /** Values written. @default valueArbitrary() */
  values?: fc.Arbitrary<unknown>;
  /** The range `maxHistorySize` is drawn from, small so that runs cross the history window. @default { min: 1, max: 8 } */
  maxHistorySize?: { min: number; max: number };
  /** Replays a failure: the seed and path fast-check printed. */
  seed?: number;
  path?: string;
}

/** Makes a fresh state to check, with the given history size: a `ThreadSafeState` or any `StateSubject`. */
export type SubjectFactory<T extends object = Record<string, unknown>> = (config: {
  maxHistorySize: number;
}) => StateSubject | ThreadSafeState<T> | Promise<StateSubject | ThreadSafeState<T>>;

function isSubject<T extends object>(made: StateSubject | ThreadSafeState<T>): made is StateSubject {
  return typeof (made as StateSubject).dispose === 'function';
}

/**
 * The property: random command sequences run against a fresh state and the
 * reference model side by side, every invariant checked after every command.
 * Use it with `fc.assert` (or `fc.check` to inspect a failure yourself).
 */
export function stateModelProperty<T extends object>(createSubject: SubjectFactory<T>, options: StateModelOptions = {}) {
  const { maxCommands = 50, keys = DEFAULT_KEYS, mix = DEFAULT_MIX, values, maxHistorySize = { min: 1, max: 8 } } = options;
  if (!(Number.isInteger(maxHistorySize.min) && maxHistorySize.min >= 1 && maxHistorySize.max >= maxHistorySize.min)) {
    throw new TypeError(`maxHistorySize must be { min, max } with 1 <= min <= max, received ${fc.stringify(maxHistorySize)}`);
  }
  if (keys.length === 0 || keys.some((key) => typeof key !== 'string' || key === '')) {
    throw new TypeError(`keys must be non-empty strings, at least one, received ${fc.stringify(keys)}`);
  }
  // size 'max': lengths spread over the whole range up to maxCommands (the default stays near 10).
  const commands = fc.commands(commandArbitraries(keys, mix, values), { maxCommands, size: 'max' });
  return fc.asyncProperty(fc.integer(maxHistorySize), commands, async (historySize, sequence) => {
    const made = await createSubject({ maxHistorySize: historySize });
    const real = isSubject(made) ? made : subjectFromState(made);
    const model: RunModel = { reference: new ReferenceModel(historySize), taken: [], transcript: [] };
    try {
      await fc.asyncModelRun(() => ({ model, real }), sequence);
    } catch (error) {
      throw new ModelRunFailure(historySize, model.transcript, error);
    } finally {
      real.dispose();
    }
  });
}

/**
 * Runs `stateModelProperty` with fast-check and throws on the first
 * disagreement, with the shrunk sequence written as code to paste into a
 * test, what disagreed, and the seed and path that replay it.
 *
 * @example
 * await checkStateModel(({ maxHistorySize }) => createThreadSafeState({ maxHistorySize }), { numRuns: 200 });
 */
export async function checkStateModel<T extends object>(createSubject: SubjectFactory<T>, options: StateModelOptions = {}): Promise<void> {
  const { numRuns = 100, seed, path } = options;
  const details = await fc.check(stateModelProperty(createSubject, options), {
    numRuns: soakRuns(numRuns),
    ...(seed === undefined ? {} : { seed }),
    ...(path === undefined ? {} : { path }),
  });
  if (!details.failed) return;
  const failure = details.errorInstance;
  if (!(failure instanceof ModelRunFailure)) throw failure;
  throw new Error(`The state disagrees with the reference model after this sequence:\n\n${failure.code}\n\n${fc.defaultReportMessage(details)}`, {
    cause: failure.cause,
  });
}

/** A failed run with its transcript: the calls exactly as the failing (shrunk) run made them. */
export class ModelRunFailure extends Error {
  override name = 'ModelRunFailure';
  readonly code: string;
  constructor(maxHistorySize: number, transcript: readonly string[], cause: unknown) {
    const code = [`const state = createThreadSafeState({ maxHistorySize: ${maxHistorySize} });`, ...transcript].join('\n');
    super(`${code}\n// ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.code = code;
  }
}
