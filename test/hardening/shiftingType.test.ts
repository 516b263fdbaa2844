/**
 * Issue 13, finding 1: an event whose `type` getter answers differently on
 * each read never stops, errors or jams the state, whether sent with
 * `actor.send` or from another actor's `sendTo`.
 */
import { describe, expect, it } from 'vitest';
import { createActor, createMachine, sendTo, type AnyActorRef } from 'xstate';
import { createThreadSafeState } from 'concord-state';

type Later = 'throw' | 'xstate.stop' | 'state.clear';

/** An event whose type is `state.get` for the first `honest` reads, then `later` (or a throw). */
function shifting(honest: number, later: Later): object {
  let reads = 0;
  return {
    key: 'a',
    get type() {
      if (reads++ < honest) return 'state.get';
      if (later === 'throw') throw new Error('type read once too often');
      return later;
    },
  };
}

const cases = [0, 1, 2, 3, 4, 6].flatMap((honest) => (['throw', 'xstate.stop', 'state.clear'] as const).map((later) => [honest, later] as const));

describe('an event whose type changes between reads', () => {
  it.each(cases)('honest for %i reads then %s, sent with send and with sendTo: the state stays active, unchanged, and answering', async (honest, later) => {
    const state = createThreadSafeState<Record<string, number>>({ initialState: { a: 1 } });
    (state.actor.send as (event: unknown) => void)(shifting(honest, later));
    const sender = createActor(
      createMachine({
        entry: sendTo(
          () => state.actor as AnyActorRef,
          () => shifting(honest, later) as never,
        ),
      }),
    );
    // XState's sendTo reads the type itself, and may fail the sender: its owner's to handle, never the state.
    sender.subscribe({ error: () => undefined });
    sender.start();
    expect(state.actor.getSnapshot().status).toBe('active');
    expect(state.snapshot()).toEqual({ a: 1 });
    expect(state.getVersion()).toBe(0);
    await expect(state.set('a', 2)).resolves.toBe(1);
    state.stop();
  });
});
