import { describe, expect, it, vi } from 'vitest';
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
});
