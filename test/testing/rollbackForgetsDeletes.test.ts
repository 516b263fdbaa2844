import { describe, expect, it, vi } from 'vitest';
import { createThreadSafeState } from 'concord-state';
import { checkStateModel } from 'concord-state/testing';
import { expectCaughtAndShrunk } from './catchesBugs.ts';

// The broken variant: a rollback that restores values but never removes a key.
vi.mock('../../src/commands/planWrite.ts', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/commands/planWrite.ts')>();
  const { ABSENT } = await import('../../src/store/versionedStore.ts');
  return {
    ...original,
    planWrite: (...args: Parameters<typeof original.planWrite>) => {
      const plan = original.planWrite(...args);
      if (args[1].type !== 'state.rollback') return plan;
      return { ...plan, changes: plan.changes.filter((change) => change.next !== ABSENT) };
    },
  };
});

describe('the kit against a rollback that forgets deletes', () => {
  it('fails it, and shrinks to a set and a rollback', async () => {
    const failure = await expectCaughtAndShrunk(3);
    expect(failure).toMatch(/rollback\(/);
  });

  it('reports the shrunk sequence as code to paste, what disagreed, and how to replay it', async () => {
    const error = await checkStateModel(({ maxHistorySize }) => createThreadSafeState({ maxHistorySize }), { numRuns: 300, seed: 1 }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(
      /^The state disagrees with the reference model after this sequence:\n\nconst state = createThreadSafeState\(\{ maxHistorySize: \d+ \}\);\nawait state\.set\("a", [^\n]*\)\nawait state\.rollback\(0\)\n/,
    );
    expect(error?.message).toContain('seed: 1');
    expect(String((error?.cause as Error | undefined)?.message)).toBe('version: the state has 1, the model says 2');
  });
});
