import { describe, expect, it } from 'vitest';
import { createActor, fromCallback, toPromise, type AnyActorRef } from 'xstate';
import { createThreadSafeState, StateAccessError, type StateReply } from 'concord-state';
import { fromAgent } from 'concord-state';
import { fromWorkerAgent } from 'concord-state/workers';

type Shape = Record<string, unknown>;

/** An actor that collects the replies it is sent. */
function inbox(): { ref: AnyActorRef; replies: StateReply[] } {
  const replies: StateReply[] = [];
  const ref = createActor(fromCallback<StateReply>(({ receive }) => receive((reply) => void replies.push(reply)))).start();
  return { ref, replies };
}

const settled = async (replies: readonly unknown[], count: number) => {
  for (let i = 0; i < 100 && replies.length < count; i++) await new Promise((resolve) => setTimeout(resolve, 5));
};

describe("an agent's actor (forAgent(...).actor)", () => {
  it('records every command it forwards as the agent, whatever changedBy or grant the message carries', async () => {
    const state = createThreadSafeState<Shape>({ initialState: { secret: 's' } });
    const agent = state.forAgent('worker-1', { write: ['files/*'] });
    const { ref, replies } = inbox();
    const forged = { agentId: 'admin', read: { all: true, matches: () => true }, write: { all: true, matches: () => true } };
    agent.actor.send({ type: 'state.set', key: 'files/a', value: 1, changedBy: 'admin', requestId: 'a', replyTo: ref });
    agent.actor.send({ type: 'state.set', key: 'secret', value: 'x', changedBy: 'admin', grant: forged, requestId: 'b', replyTo: ref } as never);
    await settled(replies, 2);
    expect(replies.map((reply) => reply.ok)).toEqual([true, false]);
    expect(replies[1]).toMatchObject({ ok: false, error: { name: 'StateAccessError', agentId: 'worker-1', key: 'secret', operation: 'write' } });
    expect(state.getHistory().map((record) => [record.key, record.changedBy])).toEqual([['files/a', 'worker-1']]);
    expect(state.get('secret')).toBe('s');
    state.stop();
  });

  it('a look-alike grant sent straight to the state actor is refused with StateValidationError', async () => {
    const state = createThreadSafeState<Shape>();
    const { ref, replies } = inbox();
    const forged = Object.freeze({ agentId: 'x', access: {}, read: { all: true, matches: () => true }, write: { all: true, matches: () => true } });
    state.actor.send({ type: 'state.set', key: 'k', value: 1, grant: forged, requestId: 'a', replyTo: ref } as never);
    await settled(replies, 1);
    expect(replies[0]).toMatchObject({ ok: false, error: { name: 'StateValidationError' } });
    expect(state.getVersion()).toBe(0);
    state.stop();
  });

  it('its snapshot follows the version and holds no value; it stops with the state', async () => {
    const state = createThreadSafeState<Shape>({ initialState: { secret: 's' } });
    const { actor } = state.forAgent('reader', { read: [] });
    await state.set('secret', 'still');
    const { context } = actor.getSnapshot();
    expect(context).toEqual({ agentId: 'reader', version: 1, lastCommit: { version: 1 } });
    expect(JSON.stringify(actor.getSnapshot())).not.toContain('still');
    state.stop();
    expect(actor.getSnapshot().status).toBe('done');
  });

  it('fromAgent agents given it read and write as the agent, inside its patterns only', async () => {
    const state = createThreadSafeState<Shape>({ initialState: { plan: 'p', secret: 's' } });
    const handle = state.forAgent('planner', { read: ['plan', 'files/*'], write: ['files/*'] });
    const logic = fromAgent(async ({ state: client }) => {
      const plan = await client.get<string>('plan');
      await client.set('files/plan.txt', plan, { changedBy: 'root' });
      const hidden = await client.get('secret').then(
        () => 'read',
        (error: unknown) => (error instanceof StateAccessError ? 'refused' : String(error)),
      );
      const snapshot = await client.snapshot();
      return { hidden, keys: Object.keys(snapshot).sort() };
    });
    // The agent's own idea of its id does not matter: the actor it was given decides.
    const output = await toPromise(createActor(logic, { input: { agentId: 'root', state: handle.actor } }).start());
    expect(output).toEqual({ hidden: 'refused', keys: ['files/plan.txt', 'plan'] });
    expect(state.getHistory().map((record) => record.changedBy)).toEqual(['planner']);
    state.stop();
  });

  it('a worker agent given it cannot write as anyone else: not through options, request() nor a raw port message', { timeout: 30_000 }, async () => {
    const state = createThreadSafeState<Shape>({ initialState: { secret: 's' } });
    const handle = state.forAgent('worker-1', { write: ['files/*'] });
    const logic = fromWorkerAgent<{ outside: string }, { agentId: string; state: typeof handle.actor }>(
      new URL('./fixtures/impersonator.worker.ts', import.meta.url),
    );
    const output = await toPromise(createActor(logic, { input: { agentId: 'worker-1', state: handle.actor } }).start());
    expect(output).toEqual({ outside: 'StateAccessError:secret' });
    const writes = state.getHistory().map((record) => [record.key, record.changedBy]);
    expect(writes.sort()).toEqual([
      ['files/options', 'worker-1'],
      ['files/raw', 'worker-1'],
      ['files/request', 'worker-1'],
    ]);
    expect(state.get('secret')).toBe('s');
    state.stop();
  });
});
