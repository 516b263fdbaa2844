import { describe, expect, it } from 'vitest';
import { assign, createActor, enqueueActions, fromCallback, sendTo, setup, waitFor, type AnyActorRef } from 'xstate';
import {
  createThreadSafeState,
  errorFromPayload,
  StateConflictError,
  StateRecipeError,
  StateReplySchema,
  StateValidationError,
  StateVersionError,
  type StateActor,
  type StateReply,
  type StateShape,
} from 'concord-state';
import { expectUnchanged, observe } from './helpers.ts';

/** The agent from the brief: on entry it sets `a` and keeps the reply. */
function createSetterAgent(stateRef: StateActor) {
  const logic = setup({
    types: { context: {} as { reply: StateReply | null }, events: {} as StateReply },
  }).createMachine({
    context: { reply: null },
    entry: sendTo(stateRef, ({ self }) => ({ type: 'state.set' as const, key: 'a', value: 1, requestId: 'r1', replyTo: self })),
    on: { 'state.reply': { actions: assign({ reply: ({ event }) => event }) } },
  });
  return createActor(logic).start();
}

type CommandFor = (self: AnyActorRef) => unknown;

/** An agent that sends each command, in order, with `replyTo: self`, and collects the replies. */
const agentLogic = setup({
  types: {
    context: {} as { target: AnyActorRef; commands: readonly CommandFor[]; replies: StateReply[] },
    input: {} as { target: AnyActorRef; commands: readonly CommandFor[] },
    events: {} as StateReply,
  },
}).createMachine({
  context: ({ input }) => ({ ...input, replies: [] }),
  entry: enqueueActions(({ context, enqueue, self }) => {
    for (const command of context.commands) enqueue.sendTo(context.target, command(self));
  }),
  on: { 'state.reply': { actions: assign({ replies: ({ context, event }) => [...context.replies, event] }) } },
});

/** Runs an agent against `target` and resolves with its replies, in arrival order. */
async function runAgent(target: AnyActorRef, commands: readonly CommandFor[]): Promise<StateReply[]> {
  const agent = createActor(agentLogic, { input: { target, commands } }).start();
  const done = await waitFor(agent, (snapshot) => snapshot.context.replies.length >= commands.length);
  agent.stop();
  return done.context.replies;
}

function resultOf(reply: StateReply | undefined): unknown {
  expect(reply?.ok).toBe(true);
  return reply !== undefined && reply.ok ? reply.result : undefined;
}

function errorOf(reply: StateReply | undefined) {
  expect(reply?.ok).toBe(false);
  if (reply === undefined || reply.ok) throw new Error('expected an error reply');
  return reply.error;
}

function seeded() {
  return createThreadSafeState<StateShape>({ initialState: { doc: { list: [1, 2] } } });
}

describe('the protocol, spoken by another XState actor', () => {
  it('answers a state.set sent on entry with ok and the new version, echoing requestId', async () => {
    const state = seeded();
    const agent = createSetterAgent(state.actor);
    const snapshot = await waitFor(agent, (s) => s.context.reply !== null);
    expect(snapshot.context.reply).toEqual({ type: 'state.reply', requestId: 'r1', ok: true, result: 1 });
    expect(StateReplySchema.safeParse(snapshot.context.reply).success).toBe(true);
    expect(state.get('a')).toBe(1);
    expect(state.getVersion()).toBe(1);
  });

  it('registers the state actor in its system as "state"', () => {
    const state = seeded();
    expect(state.actor.system.get('state')).toBe(state.actor);
  });

  it('answers reads: state.get (value or default), state.snapshot (now and at a version)', async () => {
    const state = seeded();
    await state.set('n', 5);
    const replies = await runAgent(state.actor, [
      (self) => ({ type: 'state.get', key: 'doc', requestId: 'g1', replyTo: self }),
      (self) => ({ type: 'state.get', key: 'missing', default: 'dflt', requestId: 'g2', replyTo: self }),
      (self) => ({ type: 'state.snapshot', requestId: 's1', replyTo: self }),
      (self) => ({ type: 'state.snapshot', version: 0, requestId: 's0', replyTo: self }),
    ]);
    expect(replies.map((reply) => reply.requestId)).toEqual(['g1', 'g2', 's1', 's0']);
    expect(resultOf(replies[0])).toEqual({ list: [1, 2] });
    expect(resultOf(replies[1])).toBe('dflt');
    expect({ ...(resultOf(replies[2]) as object) }).toEqual({ doc: { list: [1, 2] }, n: 5 });
    expect({ ...(resultOf(replies[3]) as object) }).toEqual({ doc: { list: [1, 2] } });
  });

  it('answers state.history with the records newest first and state.metrics with the counters', async () => {
    const state = seeded();
    await state.set('n', 1, { changedBy: 'facade' });
    await state.set('n', 2);
    const replies = await runAgent(state.actor, [
      (self) => ({ type: 'state.history', key: 'n', limit: 5, replyTo: self }),
      (self) => ({ type: 'state.metrics', replyTo: self }),
    ]);
    const history = resultOf(replies[0]) as Array<{ version: number; newValue: unknown; changedBy: string | null }>;
    expect(Array.isArray(history)).toBe(true);
    expect(history.map((record) => [record.version, record.newValue, record.changedBy])).toEqual([
      [2, 2, null],
      [1, 1, 'facade'],
    ]);
    expect(resultOf(replies[1])).toMatchObject({ setCount: 2, rejectedCount: 0 });
    expect(replies.every((reply) => reply.requestId === null)).toBe(true);
  });

  it('processes an agent’s commands in mailbox order (set, then a get that sees it)', async () => {
    const state = seeded();
    const replies = await runAgent(state.actor, [
      (self) => ({ type: 'state.set', key: 'k', value: 'v1', requestId: '1', replyTo: self }),
      (self) => ({ type: 'state.modify', key: 'k', recipe: (v: unknown) => `${String(v)}+`, requestId: '2', replyTo: self }),
      (self) => ({ type: 'state.get', key: 'k', requestId: '3', replyTo: self }),
    ]);
    expect(replies.map((reply) => [reply.requestId, resultOf(reply)])).toEqual([
      ['1', 1],
      ['2', 'v1+'],
      ['3', 'v1+'],
    ]);
  });

  it('sends copies: mutating a get or snapshot reply does not change the state', async () => {
    const state = seeded();
    const replies = await runAgent(state.actor, [
      (self) => ({ type: 'state.get', key: 'doc', replyTo: self }),
      (self) => ({ type: 'state.snapshot', replyTo: self }),
    ]);
    const value = resultOf(replies[0]) as { list: number[] };
    value.list.push(99);
    const snapshot = resultOf(replies[1]) as { doc: { list: number[] } };
    expect(snapshot).not.toBe(state.snapshot());
    snapshot.doc.list.length = 0;
    expect(state.get('doc')).toEqual({ list: [1, 2] });
    expect(state.snapshot().doc).toEqual({ list: [1, 2] });
  });

  it('answers a failed write with { name, message, ...fields } that errorFromPayload rebuilds', async () => {
    const state = seeded();
    const before = observe(state);
    const replies = await runAgent(state.actor, [
      (self) => ({ type: 'state.set', key: 'doc', value: 0, expectedVersion: 7, requestId: 'cas', replyTo: self }),
      (self) => ({
        type: 'state.modify',
        key: 'doc',
        recipe: () => {
          throw new TypeError('bad draft');
        },
        requestId: 'recipe',
        replyTo: self,
      }),
      (self) => ({ type: 'state.rollback', version: 5, requestId: 'future', replyTo: self }),
    ]);
    expect(replies.map((reply) => reply.requestId)).toEqual(['cas', 'recipe', 'future']);

    const conflict = errorOf(replies[0]);
    expect(conflict).toMatchObject({ name: 'StateConflictError', expectedVersion: 7, actualVersion: 0 });
    expect(typeof conflict.message).toBe('string');
    const rebuilt = errorFromPayload(conflict);
    expect(rebuilt).toBeInstanceOf(StateConflictError);
    expect(rebuilt).toMatchObject({ expectedVersion: 7, actualVersion: 0, message: conflict.message });

    const recipe = errorFromPayload(errorOf(replies[1]));
    expect(recipe).toBeInstanceOf(StateRecipeError);
    expect(recipe).toMatchObject({ key: 'doc', causeName: 'TypeError', causeMessage: 'bad draft' });

    expect(errorFromPayload(errorOf(replies[2]))).toBeInstanceOf(StateVersionError);
    expectUnchanged(state, before);
  });

  it('answers a malformed command that has a valid replyTo with an error echoing its requestId', async () => {
    const state = seeded();
    const before = observe(state);
    const replies = await runAgent(state.actor, [
      (self) => ({ type: 'state.set', value: 1, requestId: 'no-key', replyTo: self }),
      (self) => ({ type: 'state.set', key: 'a', value: 1, extra: true, requestId: 'extra', replyTo: self }),
      (self) => ({ type: 'state.unknown', requestId: 'unknown', replyTo: self }),
      (self) => ({ type: 'state.set', key: 'a', value: () => 1, requestId: 'fn', replyTo: self }),
    ]);
    expect(replies.map((reply) => reply.requestId)).toEqual(['no-key', 'extra', 'unknown', 'fn']);
    for (const reply of replies) {
      const payload = errorOf(reply);
      expect(payload.name).toBe('StateValidationError');
      expect(errorFromPayload(payload)).toBeInstanceOf(StateValidationError);
    }
    expect(errorOf(replies[3]).key).toBe('a');
    expect(state.getMetrics().rejectedCount).toBe(4);
    expectUnchanged(state, before);
  });

  it('answers a fromCallback actor used as replyTo', async () => {
    const state = seeded();
    const replies: StateReply[] = [];
    let notify: () => void = () => undefined;
    const arrived = new Promise<void>((resolve) => {
      notify = resolve;
    });
    const collector = createActor(
      fromCallback<StateReply>(({ receive }) => {
        receive((reply) => {
          replies.push(reply);
          notify();
        });
      }),
    ).start();
    state.actor.send({ type: 'state.get', key: 'doc', requestId: 'cb', replyTo: collector });
    await arrived;
    expect(replies).toEqual([{ type: 'state.reply', requestId: 'cb', ok: true, result: { list: [1, 2] } }]);
    collector.stop();
  });

  it('lets an agent and the facade write to the same state, each getting its own answer', async () => {
    const state = seeded();
    const agentReplies = runAgent(state.actor, [(self) => ({ type: 'state.set', key: 'x', value: 'agent', requestId: 'agent-1', replyTo: self })]);
    const facadeWrite = state.set('y', 'facade');
    await expect(facadeWrite).resolves.toBe(2);
    expect(resultOf((await agentReplies)[0])).toBe(1);
    expect(state.snapshot()).toMatchObject({ x: 'agent', y: 'facade' });
  });
});
