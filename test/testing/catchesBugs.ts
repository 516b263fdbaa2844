import fc from 'fast-check';
import { expect } from 'vitest';
import { createThreadSafeState } from 'concord-state';
import { ModelRunFailure, stateModelProperty } from 'concord-state/testing';

/**
 * Runs the kit against a state built while one of its modules is replaced by
 * a broken variant (vi.mock in the calling file), and checks that the kit
 * fails it with a short, readable counterexample.
 */
export async function expectCaughtAndShrunk(maxLength: number): Promise<string> {
  const details = await fc.check(
    stateModelProperty(({ maxHistorySize }) => createThreadSafeState({ maxHistorySize }), { maxCommands: 50 }),
    { numRuns: 300, seed: 42 },
  );
  expect(details.failed).toBe(true);
  const failure = details.errorInstance;
  expect(failure).toBeInstanceOf(ModelRunFailure);
  // The transcript of the shrunk run: exactly the calls it made, the failing one last.
  const steps = (failure as ModelRunFailure).code.split('\n').slice(1);
  expect(steps.length).toBeGreaterThan(0);
  expect(steps.length).toBeLessThanOrEqual(maxLength);
  expect(steps.every((step) => step.startsWith('await state.'))).toBe(true);
  return steps.join('\n');
}
