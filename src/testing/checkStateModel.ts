import fc from 'fast-check';
import type { ThreadSafeState } from '../threadSafeState.ts';
import { commandArbitraries, DEFAULT_KEYS, DEFAULT_MIX, type CommandMix } from './arbitraries.ts';
import type { RunModel } from './modelCommands.ts';
import { ReferenceModel } from './referenceModel.ts';
import { subjectFromState, type StateSubject } from './subject.ts';

/** Options of `checkStateModel` and `stateModelProperty`. */
export interface StateModelOptions {
  /** Sequences to run. @default the FC_NUM_RUNS environment variable, else 100 */
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
export type SubjectFactory = (config: { maxHistorySize: number }) => StateSubject | ThreadSafeState<Record<string, unknown>> | Promise<StateSubject>;

function isSubject(made: StateSubject | ThreadSafeState<Record<string, unknown>>): made is StateSubject {
  return typeof (made as StateSubject).dispose === 'function';
}

function defaultRuns(): number {
  const fromEnv = Number(process.env.FC_NUM_RUNS);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : 100;
}

/**
 * The property: random command sequences run against a fresh state and the
 * reference model side by side, every invariant checked after every command.
 * Use it with `fc.assert` (or `fc.check` to inspect a failure yourself).
 */
export function stateModelProperty(createSubject: SubjectFactory, options: StateModelOptions = {}) {
  const { maxCommands = 50, keys = DEFAULT_KEYS, mix = DEFAULT_MIX, values, maxHistorySize = { min: 1, max: 8 } } = options;
  // size 'max': lengths spread over the whole range up to maxCommands (the default stays near 10).
  const commands = fc.commands(commandArbitraries(keys, mix, values), { maxCommands, size: 'max' });
  return fc.asyncProperty(fc.integer(maxHistorySize), commands, async (historySize, sequence) => {
    const made = await createSubject({ maxHistorySize: historySize });
    const real = isSubject(made) ? made : subjectFromState(made);
    try {
      const setup = (): { model: RunModel; real: StateSubject } => ({ model: { reference: new ReferenceModel(historySize), taken: [] }, real });
      await fc.asyncModelRun(setup, sequence);
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
export async function checkStateModel(createSubject: SubjectFactory, options: StateModelOptions = {}): Promise<void> {
  const { numRuns = defaultRuns(), seed, path } = options;
  const details = await fc.check(stateModelProperty(createSubject, options), {
    numRuns,
    ...(seed === undefined ? {} : { seed }),
    ...(path === undefined ? {} : { path }),
  });
  if (!details.failed || details.counterexample === null) return;
  const [maxHistorySize, commands] = details.counterexample;
  const code = [`const state = createThreadSafeState({ maxHistorySize: ${maxHistorySize} });`, ...[...commands].map(String)].join('\n');
  throw new Error(`The state disagrees with the reference model after this sequence:\n\n${code}\n\n${fc.defaultReportMessage(details)}`, {
    cause: details.errorInstance,
  });
}
