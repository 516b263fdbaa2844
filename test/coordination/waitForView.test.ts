import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createThreadSafeState, StateStoppedError, ThreadSafeStateError, type StateSnapshot } from 'concord-state';

type Board = { status: string; done: string[]; count: number; [key: string]: unknown };

/** Runs `look` on the view of the version written after the waiter starts (the first check reads a snapshot). */
async function onPublishedView(look: (view: StateSnapshot<Board>) => void, initialState: Partial<Board> = { status: 'idle' }) {
  const state = createThreadSafeState<Board>({ initialState });
  const waiting = state.waitFor((s) => {
    if (s.status !== 'look') return false;
    look(s);
    return true;
  });
  await state.set('status', 'look');
  return { state, resolved: await waiting };
}

describe('waitFor predicates read each published version through a view, not a copy', () => {
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

  it('lists keys in a plain object order: integer-like keys first, in numeric order, as the snapshot does', async () => {
    const state = createThreadSafeState<Board>({ initialState: { b: 1 } });
    // Added in this order, the store holds them as b, 5, 07, 1.
    await state.update({ '5': 'five' });
    await state.update({ '07': 'not an index' });
    await state.update({ '1': 'one' });
    let keys: string[] = [];
    let json = '';
    const waiting = state.waitFor((s) => {
      if (s.status !== 'look') return false;
      keys = Object.keys(s);
      json = JSON.stringify(s);
      return true;
    });
    await state.set('status', 'look');
    await waiting;
    expect(state.keys()).toEqual(['b', '5', '07', '1', 'status']);
    expect(keys).toEqual(['1', '5', 'b', '07', 'status']);
    expect(keys).toEqual(Object.keys(state.snapshot()));
    expect(json).toBe(JSON.stringify(state.snapshot()));
  });

  it('refuses writes through the view, and changes nothing', async () => {
    const errors: unknown[] = [];
    const { state } = await onPublishedView((view) => {
      const writable = view as Record<string, unknown>;
      const attempts = [
        () => (writable.status = 'hacked'),
        () => delete writable.status,
        () => Object.defineProperty(view, 'x', { value: 1 }),
        () => void Object.setPrototypeOf(view, { status: 'inherited' }),
        () => Object.preventExtensions(view),
      ];
      for (const attempt of attempts) {
        try {
          attempt();
        } catch (error) {
          errors.push(error);
        }
      }
    });
    expect(errors).toHaveLength(5);
    for (const error of errors) expect(error).toBeInstanceOf(TypeError);
    expect(state.snapshot()).toEqual({ status: 'look' });
    expect(state.getVersion()).toBe(1);
  });

  it('a view kept past its check refuses to answer with a typed error, even while another predicate runs', async () => {
    let kept: StateSnapshot<Board> | undefined;
    const { state, resolved } = await onPublishedView((view) => {
      kept = view;
    });
    expect(() => kept?.status).toThrow(ThreadSafeStateError);
    expect(() => Object.keys(kept ?? {})).toThrow(/only while it runs/);
    let readInsideAnother: unknown;
    const other = state.waitFor((s) => {
      if (s.status !== 'again') return false;
      try {
        readInsideAnother = kept?.status;
      } catch (error) {
        readInsideAnother = error;
      }
      return true;
    });
    await state.set('status', 'again');
    await other;
    expect(readInsideAnother).toBeInstanceOf(ThreadSafeStateError);
    // What waitFor resolved with is the version's own snapshot, readable for good.
    expect(resolved.status).toBe('look');
  });

  it('logging the view inside a predicate shows its values', async () => {
    let logged = '';
    await onPublishedView(
      (view) => {
        logged = inspect(view);
      },
      { status: 'idle', count: 3 },
    );
    expect(logged).toContain("status: 'look'");
    expect(logged).toContain('count: 3');
  });
});

describe('the first check reads a snapshot: the mailbox is idle, so writes inside it apply at once', () => {
  it('a write made by the predicate does not change the version it checks, nor what waitFor resolves with', async () => {
    const state = createThreadSafeState<Board>({ initialState: { status: 'idle' } });
    const seen: [string | undefined, string | undefined][] = [];
    const resolved = await state.waitFor((s) => {
      const before = s.status;
      if (before === 'idle') void state.set('status', 'busy');
      seen.push([before, s.status]);
      return before === 'idle';
    });
    expect(seen).toEqual([['idle', 'idle']]);
    expect(resolved).toBe(state.snapshotAt(0));
    expect(state.get('status')).toBe('busy');
  });

  it('a predicate that stops the state rejects its waitFor with StateStoppedError instead of leaving it pending', async () => {
    const state = createThreadSafeState<Board>({ initialState: { status: 'idle' } });
    const waiting = state.waitFor(() => {
      state.stop();
      return false;
    });
    await expect(waiting).rejects.toBeInstanceOf(StateStoppedError);
  });
});
