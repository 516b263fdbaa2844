import { describe, expect, it, vi } from 'vitest';
import type { ChangeHistory } from '../../src/history/changeHistory.ts';
import { expectCaughtAndShrunk } from './catchesBugs.ts';

// The broken variant: when the history is full it drops the newest records instead of the oldest.
vi.mock('../../src/history/changeHistory.ts', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/history/changeHistory.ts')>();
  class KeepsTheOldest extends original.ChangeHistory {
    readonly #capacity: number;
    constructor(capacity: number) {
      super(capacity);
      this.#capacity = capacity;
    }
    override append(...[records, version]: Parameters<ChangeHistory['append']>): void {
      if (this.size + records.length > this.#capacity) return;
      super.append(records, version);
    }
  }
  return { ...original, ChangeHistory: KeepsTheOldest };
});

describe('the kit against a history that drops the wrong end', () => {
  it('fails it with a short sequence', async () => {
    const failure = await expectCaughtAndShrunk(4);
    expect(failure).toContain('await state.');
  });
});
