/** Nothing reachable from the state actor changes the state except a command: its snapshot is a value. */
import { describe, expect, it } from 'vitest';
import { getNextSnapshot } from 'xstate';
import { createThreadSafeState, type ThreadSafeState } from 'concord-state';

async function bank() {
  const state = createThreadSafeState<Record<string, unknown>>({ initialState: { balance: { cents: 100 } }, clock: () => 7 });
  await state.set('balance', { cents: 250 }, { changedBy: 'teller' });
  await state.update({ owner: 'ada', tags: ['a', 'b'] });
  await state.markKnownGood('audited');
  return state;
}

function observed(state: ThreadSafeState<Record<string, unknown>>) {
  return { version: state.getVersion(), snapshot: state.snapshot(), history: state.getHistory(), marks: state.getKnownGoodMarks() };
}

/**
 * Every object reachable from the snapshot through own properties, and
 * through what the reader's getters and methods return when called with no
 * argument (builtins' methods are left alone: they only act on their own object).
 */
function reachable(snapshot: { readonly context: { readonly reader: object } }): Set<object> {
  const readerPrototype = Object.getPrototypeOf(snapshot.context.reader) as object;
  const seen = new Set<object>();
  const visit = (value: unknown): void => {
    if ((typeof value !== 'object' && typeof value !== 'function') || value === null || seen.has(value)) return;
    seen.add(value);
    for (const key of Reflect.ownKeys(value)) visit(Reflect.get(value, key));
    if (Object.getPrototypeOf(value) !== readerPrototype) return;
    for (const key of Reflect.ownKeys(readerPrototype)) {
      if (key === 'constructor') continue;
      try {
        const member: unknown = Reflect.get(readerPrototype, key, value);
        visit(typeof member === 'function' ? (member as () => unknown).call(value) : member);
      } catch {
        /* a method that needs an argument */
      }
    }
  };
  visit(snapshot);
  return seen;
}

describe("the state actor's snapshot", () => {
  it('exposes no container: the store, history, cache and metrics are not on it', async () => {
    const state = await bank();
    const { context } = state.actor.getSnapshot();
    for (const container of ['store', 'history', 'snapshots', 'metrics', 'marks', 'guard', 'log']) expect(context).not.toHaveProperty(container);
    state.stop();
  });

  it('refuses the attacks that rewrote a key and erased the audit trail through it', async () => {
    const state = await bank();
    const before = observed(state);
    const context = state.actor.getSnapshot().context as unknown as Record<string, { write?: unknown; dropAll?: unknown }>;
    expect(() => (context.store as { write: (...args: unknown[]) => void }).write('balance', { cents: 1e9 }, 1_000_000)).toThrow(TypeError);
    expect(() => (context.history as { dropAll: (version: number) => void }).dropAll(99)).toThrow(TypeError);
    expect(() => {
      (context as Record<string, unknown>).reader = null;
    }).toThrow(TypeError);
    expect(observed(state)).toEqual(before);
    expect(await state.set('balance', { cents: 300 })).toBe(before.version + 1);
    state.stop();
  });

  it('is frozen all the way from the snapshot to the reader, the last commit and the last reply', async () => {
    const state = await bank();
    const snapshot = state.actor.getSnapshot();
    const { context } = snapshot;
    for (const value of [snapshot, context, context.reader, Object.getPrototypeOf(context.reader) as object, context.lastReply, context.lastCommit]) {
      expect(Object.isFrozen(value)).toBe(true);
    }
    state.stop();
  });

  it('leaves the state as it was whatever is done to everything reachable from it', async () => {
    const state = await bank();
    await state.set('balance', { cents: 400 });
    const before = observed(state);
    const objects = reachable(state.actor.getSnapshot());
    expect(objects.size).toBeGreaterThan(10);
    for (const object of objects) {
      // Every assignment, deletion and push a holder of the ref could make.
      for (const key of Reflect.ownKeys(object)) {
        try {
          Reflect.set(object, key, 'tampered');
          Reflect.deleteProperty(object, key);
        } catch {
          /* a frozen or exotic object refuses */
        }
      }
      if (Array.isArray(object)) {
        try {
          object.push('tampered');
        } catch {
          /* frozen */
        }
      }
    }
    expect(observed(state)).toEqual(before);
    expect(state.get('balance')).toEqual({ cents: 400 });
    state.stop();
  });

  it('is not changed by a transition computed outside the actor (getNextSnapshot), and the state goes on', async () => {
    const state = await bank();
    const before = observed(state);
    // XState computes it in a throwaway actor of its own, whose engine is not this state's.
    getNextSnapshot(state.actor.logic, state.actor.getSnapshot(), { type: 'state.set', key: 'balance', value: 99 });
    expect(observed(state)).toEqual(before);
    await expect(state.set('balance', 2)).resolves.toBe(before.version + 1);
    state.stop();
  });

  it('reads the newest state through its reader, which cannot write', async () => {
    const state = await bank();
    const { reader } = state.actor.getSnapshot().context;
    expect(reader.version).toBe(state.getVersion());
    expect(reader.snapshot()).toBe(state.snapshot());
    expect(reader.history()).toEqual(state.getHistory());
    expect(reader.knownGoodMarks()).toEqual(state.getKnownGoodMarks());
    expect(Object.isFrozen(reader.latest('balance'))).toBe(true);
    await state.set('owner', 'grace');
    expect(reader.latest('owner')).toBe('grace');
    state.stop();
  });
});
