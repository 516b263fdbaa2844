/** Issue 13, finding 5: a look-alike replyTo is refused, and a reply that cannot be delivered never ends the process. */
import { describe, expect, it } from 'vitest';
import { Actor, createActor, fromCallback } from 'xstate';
import { createThreadSafeState, StateValidationError, errorFromPayload } from 'concord-state';

describe('replyTo', () => {
  it('made from Actor.prototype is refused with a StateValidationError, and the command changes nothing', () => {
    const state = createThreadSafeState<Record<string, number>>();
    const fake: unknown = Object.create(Actor.prototype);
    (state.actor.send as (event: unknown) => void)({ type: 'state.set', key: 'a', value: 1, requestId: 'r1', replyTo: fake });
    const reply = state.actor.getSnapshot().context.lastReply;
    expect(reply?.ok).toBe(false);
    expect(reply && !reply.ok && errorFromPayload(reply.error)).toBeInstanceOf(StateValidationError);
    expect(state.getVersion()).toBe(0);
    expect(state.actor.getSnapshot().status).toBe('active');
    state.stop();
  });

  it('whose delivery throws: the command applies, the reply is dropped, the state and the process go on', async () => {
    const state = createThreadSafeState<Record<string, number>>();
    const receiver = createActor(fromCallback(() => undefined)).start();
    // A real actor whose system throws on delivery, as a hostile or broken inspector of its own would.
    Object.defineProperty(receiver.system, '_relay', {
      value: () => {
        throw new Error('cannot deliver');
      },
    });
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => void uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    try {
      state.actor.send({ type: 'state.set', key: 'a', value: 1, requestId: 'r1', replyTo: receiver });
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(state.get('a')).toBe(1);
      await expect(state.set('a', 2)).resolves.toBe(2);
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', onUncaught);
      state.stop();
    }
  });
});
