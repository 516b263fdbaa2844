import { describe, expect, it, vi } from 'vitest';
import { createThreadSafeState, StateStoppedError, StateTimeoutError, type Commit } from 'concord-state';

describe('waitFor', () => {
  it('resolves at once when the predicate already holds, without a write', async () => {
    const state = createThreadSafeState<{ ready: boolean }>({ initialState: { ready: true } });
    const snapshot = await state.waitFor((s) => s.ready === true);
    expect(snapshot.ready).toBe(true);
    expect(state.getVersion()).toBe(0);
  });

  it('resolves with the first snapshot that satisfies the predicate, not a later one', async () => {
    const state = createThreadSafeState<{ step: number }>({ initialState: { step: 0 } });
    const reached = state.waitFor((s) => (s.step ?? 0) >= 2);
    for (let step = 1; step <= 4; step++) await state.set('step', step);
    const snapshot = await reached;
    expect(snapshot.step).toBe(2);
    expect(snapshot).toBe(state.snapshotAt(2));
  });

  it('rejects with StateTimeoutError carrying the timeout and operation', async () => {
    vi.useFakeTimers();
    try {
      const state = createThreadSafeState();
      const waiting = state.waitFor(() => false, { timeout: 250 });
      vi.advanceTimersByTime(250);
      const error = await waiting.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StateTimeoutError);
      expect(error).toMatchObject({ timeoutMs: 250, operation: 'waitFor' });
    } finally {
      vi.useRealTimers();
    }
  });

  it('rejects with the abort reason when its signal aborts', async () => {
    const state = createThreadSafeState();
    const controller = new AbortController();
    const waiting = state.waitFor(() => false, { signal: controller.signal });
    controller.abort(new Error('cancelled by the workflow'));
    await expect(waiting).rejects.toThrow('cancelled by the workflow');
  });

  it('rejects with what the predicate throws, and the state keeps working', async () => {
    const state = createThreadSafeState<{ n: number }>();
    const waiting = state.waitFor((s) => {
      if (s.n === 1) throw new RangeError('bad predicate');
      return false;
    });
    await state.set('n', 1);
    await expect(waiting).rejects.toThrow(RangeError);
    expect(await state.set('n', 2)).toBe(2);
  });

  it('rejects a negative timeout without waiting', async () => {
    const state = createThreadSafeState();
    await expect(state.waitFor(() => false, { timeout: -1 })).rejects.toThrow(/timeout must be/);
  });

  it('sequential coordination: the validator waits for the model agent without polling', async () => {
    const state = createThreadSafeState<{ completedAgents: string[]; generatedFiles: string[] }>({
      initialState: { completedAgents: [], generatedFiles: [] },
    });
    const order: string[] = [];
    const validator = (async () => {
      await state.waitFor((s) => s.completedAgents?.includes('model-gen') ?? false, { timeout: 1000 });
      order.push('validator');
      await state.modify('generatedFiles', (files) => void files.push('validators/user.ts'), { default: [], changedBy: 'validator-gen' });
    })();
    order.push('model');
    await state.modify('generatedFiles', (files) => void files.push('models/user.ts'), { default: [], changedBy: 'model-gen' });
    await state.modify('completedAgents', (done) => void done.push('model-gen'), { default: [], changedBy: 'model-gen' });
    await validator;
    expect(order).toEqual(['model', 'validator']);
    expect(state.get('generatedFiles')).toEqual(['models/user.ts', 'validators/user.ts']);
  });

  it('parallel coordination: five agents all recorded as completed', async () => {
    const state = createThreadSafeState<{ completedAgents: string[] }>();
    await Promise.all(
      Array.from({ length: 5 }, (_, i) => state.modify('completedAgents', (done) => [...(done ?? []), `agent-${i}`], { changedBy: `agent-${i}` })),
    );
    expect([...(state.get('completedAgents') ?? [])].sort()).toEqual(['agent-0', 'agent-1', 'agent-2', 'agent-3', 'agent-4']);
  });
});

describe('subscribe', () => {
  it('tells each applied write once, with its version and records, and nothing for rejected or no-op commands', async () => {
    const state = createThreadSafeState<Record<string, number>>();
    const seen: Commit[] = [];
    const unsubscribe = state.subscribe((commit) => seen.push(commit));
    await state.set('a', 1, { changedBy: 'x' });
    await state.update({ b: 2, c: 3 });
    await state.delete('missing');
    await state.set('a', 2, { expectedVersion: 0 }).catch(() => undefined);
    unsubscribe();
    await state.set('a', 3);
    expect(seen.map((commit) => commit.version)).toEqual([1, 2]);
    expect(seen[1]?.records.map((record) => record.key)).toEqual(['b', 'c']);
    expect(seen[0]?.records[0]?.changedBy).toBe('x');
  });

  it('a listener that throws does not stop the state nor the other listeners', async () => {
    vi.useFakeTimers();
    try {
      const state = createThreadSafeState<Record<string, number>>();
      const calls: number[] = [];
      state.subscribe(() => {
        throw new Error('listener bug');
      });
      state.subscribe((commit) => calls.push(commit.version));
      await state.set('a', 1);
      await state.set('a', 2);
      expect(calls).toEqual([1, 2]);
      expect(state.actor.getSnapshot().status).toBe('active');
      // The listener's error is reported asynchronously, as XState reports observer errors.
      expect(() => vi.runAllTimers()).toThrow('listener bug');
    } finally {
      vi.useRealTimers();
    }
  });

  it('a write made from inside a listener is applied after the current one, in order', async () => {
    const state = createThreadSafeState<Record<string, number>>();
    const versions: number[] = [];
    let follow: Promise<number> | undefined;
    state.subscribe((commit) => {
      versions.push(commit.version);
      if (commit.version === 1) follow = state.set('b', 2, { changedBy: 'listener' });
    });
    expect(await state.set('a', 1)).toBe(1);
    expect(await follow).toBe(2);
    expect(versions).toEqual([1, 2]);
    expect(state.getHistory()[0]).toMatchObject({ key: 'b', changedBy: 'listener' });
  });

  it('stop() rejects waiters with StateStoppedError', async () => {
    const state = createThreadSafeState();
    const waiting = state.waitFor(() => false);
    state.stop();
    await expect(waiting).rejects.toBeInstanceOf(StateStoppedError);
    await expect(state.waitFor(() => true)).rejects.toBeInstanceOf(StateStoppedError);
  });

  it('stopping the actor directly (not through the facade) also closes the facade: nothing hangs', async () => {
    const state = createThreadSafeState();
    const waiting = state.waitFor(() => false);
    state.actor.stop();
    await expect(waiting).rejects.toBeInstanceOf(StateStoppedError);
    await expect(state.set('a', 1)).rejects.toBeInstanceOf(StateStoppedError);
  });
});
