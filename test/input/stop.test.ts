import { describe, expect, it, vi } from 'vitest';
import { createThreadSafeState, StateStoppedError, type StateShape, type ThreadSafeState } from 'concord-state';
import { callWrite, rejectionOf } from './helpers.ts';

async function stoppedState(): Promise<ThreadSafeState> {
  const state = createThreadSafeState<StateShape>({ initialState: { a: 1 } });
  await state.set('b', { nested: true });
  state.stop();
  return state;
}

const writes: ReadonlyArray<[name: string, write: (state: ThreadSafeState) => Promise<unknown>]> = [
  ['set', (state) => state.set('a', 2)],
  ['update', (state) => state.update({ a: 2 })],
  ['delete', (state) => state.delete('a')],
  ['clear', (state) => state.clear()],
  ['modify', (state) => state.modify('a', () => 2)],
  ['rollback', (state) => state.rollback(0)],
  ['clearHistory', (state) => state.clearHistory()],
];

describe('after stop()', () => {
  it('rejects every write (set, update, delete, clear, modify, rollback, clearHistory) with StateStoppedError, never throwing', async () => {
    const state = await stoppedState();
    for (const [name, write] of writes) {
      const error = await rejectionOf(callWrite(() => write(state)));
      expect(error, name).toBeInstanceOf(StateStoppedError);
    }
    expect(state.get('a')).toBe(1);
    expect(state.getVersion()).toBe(1);
    expect(state.getHistory()).toHaveLength(1);
  });

  it('rejects a pending waitFor with StateStoppedError', async () => {
    const state = createThreadSafeState<StateShape>();
    const waiting = state.waitFor((snapshot) => snapshot.done === true);
    state.stop();
    await expect(waiting).rejects.toBeInstanceOf(StateStoppedError);
  });

  it('rejects a waitFor started after stop, even if its predicate would hold', async () => {
    const state = await stoppedState();
    await expect(state.waitFor(() => true)).rejects.toBeInstanceOf(StateStoppedError);
  });

  it('still serves reads of the last state', async () => {
    const state = await stoppedState();
    expect(state.actor.getSnapshot().status).toBe('stopped');
    expect(state.get('a')).toBe(1);
    expect(state.getRequired('b')).toEqual({ nested: true });
    expect(state.has('b')).toBe(true);
    expect(state.keys()).toEqual(['a', 'b']);
    expect(state.size).toBe(2);
    expect(state.getVersion()).toBe(1);
    expect({ ...state.snapshot() }).toEqual({ a: 1, b: { nested: true } });
    expect({ ...state.snapshotAt(0) }).toEqual({ a: 1 });
    expect(state.getHistory()).toHaveLength(1);
  });

  it('ignores events sent straight to the stopped actor, and a second stop()', async () => {
    const state = await stoppedState();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(() => state.actor.send({ type: 'state.set', key: 'a', value: 3 })).not.toThrow();
    warn.mockRestore();
    expect(() => state.stop()).not.toThrow();
    expect(state.get('a')).toBe(1);
    expect(state.getVersion()).toBe(1);
  });
});
