import { describe, expect, it, vi } from 'vitest';
import type { SnapshotCache } from '../../src/snapshots/snapshotCache.ts';
import { expectCaughtAndShrunk } from './catchesBugs.ts';

// The broken variant: a snapshot cache that is never invalidated by writes.
vi.mock('../../src/snapshots/snapshotCache.ts', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/snapshots/snapshotCache.ts')>();
  class NeverInvalidated extends original.SnapshotCache {
    #first: ReturnType<SnapshotCache['at']> | undefined;
    override at(...[version, isCurrent]: Parameters<SnapshotCache['at']>) {
      this.#first ??= super.at(version, isCurrent);
      return this.#first;
    }
  }
  return { ...original, SnapshotCache: NeverInvalidated };
});

describe('the kit against a snapshot cache that is not invalidated', () => {
  it('fails it, and shrinks to a single write', async () => {
    const failure = await expectCaughtAndShrunk(2);
    expect(failure).toMatch(/await state\.(set|update|modify|delete|clear)/);
  });
});
