import { describe, expect, it, vi } from 'vitest';
import { createActor, fromCallback } from 'xstate';
import { createThreadSafeState, errorFromPayload, StateValidationError, type StateShape, type ThreadSafeState } from 'concord-state';
import { expectAlive, expectUnchanged, observe } from './helpers.ts';

function seeded(): ThreadSafeState {
  return createThreadSafeState<StateShape>({ initialState: { a: 1 } });
}

const notAnActor = { send() {}, id: 'fake', sessionId: 'x:0' };

const malformed: ReadonlyArray<[label: string, event: unknown]> = [
  ['null', null],
  ['undefined', undefined],
  ['a number', 42],
  ['an array', []],
  ['an empty object', {}],
  ['a numeric type', { type: 5 }],
  ['an unknown command type', { type: 'state.nope' }],
  ['an empty type', { type: '' }],
  ['state.set without key', { type: 'state.set' }],
  ['state.set with an extra field', { type: 'state.set', key: 'a', value: 2, extra: true }],
  ['state.set with a numeric key', { type: 'state.set', key: 1, value: 2 }],
  ['state.set with an empty key', { type: 'state.set', key: '', value: 2 }],
  ['state.set with a numeric requestId', { type: 'state.set', key: 'a', value: 2, requestId: 7 }],
  ['state.set with a numeric changedBy', { type: 'state.set', key: 'a', value: 2, changedBy: 5 }],
  ['state.set with an infinite timestamp', { type: 'state.set', key: 'a', value: 2, timestamp: Number.POSITIVE_INFINITY }],
  ['state.set with a look-alike replyTo', { type: 'state.set', key: 'a', value: 2, replyTo: notAnActor }],
  ['state.update with an array of values', { type: 'state.update', values: [['a', 2]] }],
  ['state.delete with an array key', { type: 'state.delete', key: ['a'] }],
  ['state.modify with a string recipe', { type: 'state.modify', key: 'a', recipe: 'draft => 2' }],
  ['state.rollback with a string version', { type: 'state.rollback', version: '0' }],
  ['state.history with a negative limit', { type: 'state.history', limit: -1 }],
  ['state.clear with a negative expectedVersion', { type: 'state.clear', expectedVersion: -1 }],
  ['an internal-looking state.malformed event', { type: 'state.malformed', received: 'spoofed' }],
];

describe('malformed events sent straight to the actor', () => {
  it.each(malformed)('%s: error reply, rejectedCount +1, nothing changed, actor alive', async (_label, event) => {
    const state = seeded();
    const before = observe(state);
    const rejectedBefore = state.getMetrics().rejectedCount;

    expect(() => state.actor.send(event as never)).not.toThrow();

    expect(state.getMetrics().rejectedCount).toBe(rejectedBefore + 1);
    const reply = state.actor.getSnapshot().context.lastReply;
    expect(reply).toMatchObject({ type: 'state.reply', ok: false, error: { name: 'StateValidationError' } });
    expect(state.get('a')).toBe(1);
    expectUnchanged(state, before);
    await expectAlive(state);
  });

  it('documents: a string event does not throw (the actor normalizes it) and is answered as malformed', async () => {
    const state = seeded();
    const before = observe(state);
    // Plain XState's development build throws "Only event objects may be sent to actors" here;
    // Concord's actor wraps the event before XState sees it.
    expect(() => state.actor.send('state.clear' as never)).not.toThrow();
    expect(state.getMetrics().rejectedCount).toBe(1);
    expect(state.actor.getSnapshot().context.lastReply).toMatchObject({
      ok: false,
      error: { name: 'StateValidationError', message: expect.stringContaining('received string') as unknown },
    });
    expectUnchanged(state, before);
    await expectAlive(state);
  });

  it('documents: a 1,000,000-character key is a valid key (no length limit) and is stored', async () => {
    const state = seeded();
    const hugeKey = 'x'.repeat(1_000_000);
    expect(() => state.actor.send({ type: 'state.set', key: hugeKey, value: 1 })).not.toThrow();
    expect(state.getVersion()).toBe(1);
    expect(state.get(hugeKey)).toBe(1);
    expect(state.getMetrics().rejectedCount).toBe(0);
    await expectAlive(state);
  });

  it('rejects the same huge key when the command is otherwise malformed, and stays alive', async () => {
    const state = seeded();
    const before = observe(state);
    state.actor.send({ type: 'state.set', key: 'y'.repeat(1_000_000), value: 1, extra: 1 } as never);
    expect(state.getMetrics().rejectedCount).toBe(1);
    expectUnchanged(state, before);
    await expectAlive(state);
  });

  it('names the unknown command type and lists the known ones in the error', () => {
    const state = seeded();
    state.actor.send({ type: 'state.nope' } as never);
    const reply = state.actor.getSnapshot().context.lastReply;
    expect(reply?.ok).toBe(false);
    const message = reply !== null && !reply.ok ? reply.error.message : '';
    expect(message).toContain('state.nope');
    expect(message).toContain('state.set');
  });

  it('keeps the facade promises in order when malformed events are interleaved with its writes', async () => {
    const state = seeded();
    const first = state.set('b', 1);
    state.actor.send({ type: 'state.set' } as never);
    const second = state.set('c', 2);
    state.actor.send(null as never);
    await expect(first).resolves.toBe(1);
    await expect(second).resolves.toBe(2);
    expect(state.getMetrics().rejectedCount).toBe(2);
  });

  it('sends no reply to a look-alike replyTo object (it is not called)', () => {
    const state = seeded();
    let called = 0;
    const lookAlike = { send: () => called++, id: 'fake' };
    state.actor.send({ type: 'state.get', key: 'a', replyTo: lookAlike } as never);
    expect(called).toBe(0);
    expect(state.actor.getSnapshot().context.lastReply?.ok).toBe(false);
  });

  it('does not crash when the replyTo actor has already stopped', async () => {
    const state = seeded();
    const gone = createActor(fromCallback(() => undefined)).start();
    gone.stop();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    state.actor.send({ type: 'state.set', key: 'a', value: 5, replyTo: gone });
    warn.mockRestore();
    expect(state.get('a')).toBe(5);
    await expectAlive(state);
  });

  it('reports malformed events with a payload that errorFromPayload rebuilds as StateValidationError', () => {
    const state = seeded();
    state.actor.send({ type: 'state.rollback', version: 'zero' } as never);
    const reply = state.actor.getSnapshot().context.lastReply;
    expect(reply?.ok).toBe(false);
    const error = reply !== null && !reply.ok ? errorFromPayload(reply.error) : null;
    expect(error).toBeInstanceOf(StateValidationError);
    expect((error as StateValidationError).issues[0]?.path).toEqual(['version']);
  });
});
