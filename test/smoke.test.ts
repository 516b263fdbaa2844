import { describe, expect, it } from 'vitest';
import { createThreadSafeState } from 'concord-state';

describe('smoke', () => {
  it('sets and gets through the package name', async () => {
    const state = createThreadSafeState<{ counter: number }>();
    expect(await state.set('counter', 42)).toBe(1);
    expect(state.get('counter')).toBe(42);
  });
});
