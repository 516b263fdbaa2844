import { describe, expect, it } from 'vitest';
import { createThreadSafeState, StateMetricsSchema } from 'concord-state';

describe('metrics (reference: TestThreadSafeStateMetrics)', () => {
  it('start at zero and have the documented shape', () => {
    const state = createThreadSafeState();

    const metrics = state.getMetrics();

    expect(StateMetricsSchema.safeParse(metrics).success).toBe(true);
    expect(metrics).toEqual({
      getCount: 0,
      setCount: 0,
      deleteCount: 0,
      snapshotCount: 0,
      rollbackCount: 0,
      rejectedCount: 0,
      accessDeniedCount: 0,
      cacheHits: 0,
      cacheMisses: 0,
      cacheHitRate: 0,
      meanWriteMicros: 0,
    });
  });

  it('count gets, sets (one per key of an update), deletes and rollbacks', async () => {
    const state = createThreadSafeState<Record<string, number>>({ initialState: { a: 1 } });

    state.get('a');
    state.get('missing', 0);
    await state.set('b', 2);
    await state.update({ c: 3, d: 4 });
    await state.delete('a');
    await state.delete('never-there');
    await state.rollback(1);

    expect(state.getMetrics()).toMatchObject({ getCount: 2, setCount: 3, deleteCount: 1, rollbackCount: 1 });

    await state.clear();
    expect(state.getMetrics().deleteCount).toBeGreaterThan(1);
    expect(state.getMetrics().setCount).toBe(3);
  });

  it('count snapshots, cache hits and misses, and derive the hit rate', async () => {
    const state = createThreadSafeState<{ counter: number }>();
    await state.set('counter', 1);

    state.snapshot();
    state.snapshot();
    state.snapshot();
    await state.set('counter', 2);
    state.snapshot();

    expect(state.getMetrics()).toMatchObject({ snapshotCount: 4, cacheHits: 2, cacheMisses: 2, cacheHitRate: 0.5 });
  });

  it('count rejected commands, and nothing else for them', async () => {
    const state = createThreadSafeState<Record<string, unknown>>();
    await state.set('a', 1);

    await expect(state.rollback(10)).rejects.toThrow();
    await expect(state.set('a', 2, { expectedVersion: 0 })).rejects.toThrow();
    await expect(state.set('f', Symbol('not storable'))).rejects.toThrow();

    expect(state.getMetrics()).toMatchObject({ rejectedCount: 3, setCount: 1, rollbackCount: 0 });
  });

  it('meanWriteMicros is a finite non-negative mean once writes were applied', async () => {
    const state = createThreadSafeState<{ a: number }>();
    await state.set('a', 1);
    await state.set('a', 2);

    const { meanWriteMicros } = state.getMetrics();

    expect(Number.isFinite(meanWriteMicros)).toBe(true);
    expect(meanWriteMicros).toBeGreaterThanOrEqual(0);
  });

  it('meanWriteMicros samples applied writes: a rejected write does not use up the timed turn', async () => {
    const state = createThreadSafeState<{ a: number }>();
    await expect(state.set('a', 1, { expectedVersion: 5 })).rejects.toThrow();
    await state.set('a', 1);
    expect(state.getMetrics().meanWriteMicros).toBeGreaterThan(0);
  });

  it('getMetrics returns a copy that does not track later operations', async () => {
    const state = createThreadSafeState<{ a: number }>();
    const before = state.getMetrics();

    await state.set('a', 1);
    before.setCount = 100;

    expect(state.getMetrics().setCount).toBe(1);
  });
});
