import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createThreadSafeState, ThreadSafeStateError, type StateSnapshot } from 'concord';

type Board = { status: string; done: string[]; count: number };

describe('waitFor predicates read each version through a view, not a copy', () => {
  it('a write that does not satisfy a waiter builds no snapshot', async () => {
    const state = createThreadSafeState<Board>({ initialState: { status: 'idle', count: 0 } });
    const finished = state.waitFor((s) => s.status === 'finished');
    const before = state.getMetrics().snapshotCount;
    for (let count = 1; count <= 50; count++) await state.set('count', count);
    expect(state.getMetrics().snapshotCount).toBe(before);
    await state.set('status', 'finished');
    const snapshot = await finished;
    // One snapshot, for the version that satisfied the waiter.
    expect(state.getMetrics().snapshotCount).toBe(before + 1);
    expect(snapshot).toBe(state.snapshotAt(51));
    expect(Object.isFrozen(snapshot)).toBe(true);
  });

  it('the predicate sees exactly the version it is checked at: keys, values, `in`, entries and JSON', async () => {
    const state = createThreadSafeState<Board>({ initialState: { status: 'idle' } });
    const seen: { version: number; keys: string[]; json: string; hasCount: boolean; entries: [string, unknown][] }[] = [];
    const waiting = state.waitFor((s) => {
      seen.push({ version: state.getVersion(), keys: Object.keys(s), json: JSON.stringify(s), hasCount: 'count' in s, entries: Object.entries(s) });
      return s.count === 2;
    });
    await state.set('count', 1);
    await state.update({ done: ['parse'], count: 2 });
    await waiting;
    expect(seen.map(({ version }) => version)).toEqual([0, 1, 2]);
    for (const { version, keys, json, hasCount, entries } of seen) {
      const snapshot = state.snapshotAt(version);
      expect(keys).toEqual(Object.keys(snapshot));
      expect(json).toBe(JSON.stringify(snapshot));
      expect(hasCount).toBe('count' in snapshot);
      expect(entries).toEqual(Object.entries(snapshot));
    }
  });

  it('refuses writes through the view, and changes nothing', async () => {
    const state = createThreadSafeState<Board>({ initialState: { status: 'idle' } });
    const errors: unknown[] = [];
    await state.waitFor((s) => {
      const writable = s as Record<string, unknown>;
      const attempts = [
        () => (writable.status = 'hacked'),
        () => delete writable.status,
        () => Object.defineProperty(s, 'x', { value: 1 }),
        () => Object.setPrototypeOf(s, { status: 'inherited' }),
        () => Object.preventExtensions(s),
      ];
      for (const attempt of attempts) {
        try {
          attempt();
        } catch (error) {
          errors.push(error);
        }
      }
      return true;
    });
    expect(errors).toHaveLength(5);
    for (const error of errors) expect(error).toBeInstanceOf(TypeError);
    expect(state.get('status')).toBe('idle');
    expect(state.getVersion()).toBe(0);
  });

  it('a view kept past its check refuses to answer with a typed error, as the store has moved on', async () => {
    const state = createThreadSafeState<Board>({ initialState: { status: 'idle' } });
    let kept: StateSnapshot<Board> | undefined;
    const resolved = await state.waitFor((s) => {
      kept = s;
      return true;
    });
    await state.set('status', 'moved on');
    expect(() => kept?.status).toThrow(ThreadSafeStateError);
    expect(() => Object.keys(kept ?? {})).toThrow(/only while it runs/);
    // What waitFor resolved with is the version's own snapshot, readable for good.
    expect(resolved.status).toBe('idle');
  });

  it('logging the view inside a predicate shows its values', async () => {
    const state = createThreadSafeState<Board>({ initialState: { status: 'idle', count: 3 } });
    let logged = '';
    await state.waitFor((s) => {
      logged = inspect(s);
      return true;
    });
    expect(logged).toContain("status: 'idle'");
    expect(logged).toContain('count: 3');
  });
});
