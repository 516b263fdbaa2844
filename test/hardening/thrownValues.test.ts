/**
 * Issue 13, finding 2: a thrown value that throws when inspected (a Proxy
 * whose every trap throws) never stops the actor, and comes back as the
 * documented typed error.
 */
import { describe, expect, it } from 'vitest';
import { createThreadSafeState, errorFromPayload, StateRecipeError, StateValidationError, type StateReply, type ThreadSafeState } from 'concord-state';

/** Throws on every question asked of it: its prototype, its fields, its conversion to a string. Typed as the Error it wraps. */
function hostile(): Error {
  const trap = () => {
    throw hostile();
  };
  return new Proxy(new Error('hostile'), { get: trap, getPrototypeOf: trap, has: trap, ownKeys: trap, getOwnPropertyDescriptor: trap });
}

const throwingGetter = () =>
  Object.defineProperty({}, 'x', {
    enumerable: true,
    get() {
      throw hostile();
    },
  });

async function stateThatGoesOn(run: (state: ThreadSafeState<Record<string, unknown>>) => Promise<unknown>) {
  const state = createThreadSafeState<Record<string, unknown>>({ initialState: { kept: 1 } });
  const outcome = await run(state).then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  expect(state.actor.getSnapshot().status).toBe('active');
  expect(state.getVersion()).toBe(0);
  expect(state.snapshot()).toEqual({ kept: 1 });
  await expect(state.set('after', 2)).resolves.toBe(1);
  state.stop();
  return outcome;
}

describe('a thrown value that throws when inspected', () => {
  it("from a value's getter, through the facade: a StateValidationError", async () => {
    const outcome = await stateThatGoesOn((state) => state.set('v', throwingGetter()));
    expect((outcome as { error: unknown }).error).toBeInstanceOf(StateValidationError);
  });

  it('from a modify recipe: a StateRecipeError naming the key', async () => {
    const outcome = await stateThatGoesOn((state) =>
      state.modify('kept', () => {
        throw hostile();
      }),
    );
    const { error } = outcome as { error: unknown };
    expect(error).toBeInstanceOf(StateRecipeError);
    expect((error as StateRecipeError).key).toBe('kept');
  });

  it("from a raw event's value sent straight to the actor: a StateValidationError reply", async () => {
    let reply: StateReply | null = null;
    await stateThatGoesOn((state) => {
      state.actor.send({ type: 'state.set', key: 'v', value: throwingGetter(), requestId: 'raw' });
      reply = state.actor.getSnapshot().context.lastReply;
      return Promise.resolve();
    });
    const answered = reply as StateReply | null;
    expect(answered?.ok).toBe(false);
    expect(answered && !answered.ok && errorFromPayload(answered.error)).toBeInstanceOf(StateValidationError);
  });
});
