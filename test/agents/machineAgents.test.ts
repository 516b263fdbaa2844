import { describe, expect, it } from 'vitest';
import { assign, createActor, fromCallback, setup, toPromise, type AnyActorRef, type EventObject, type InspectionEvent } from 'xstate';
import { z } from 'zod';
import { createThreadSafeState, fromAgent, stateRequest, StateTimeoutError, StateValidationError, type AgentInput, type OutgoingCommand } from 'concord-state';

interface CounterInput {
  agentId: string;
  state: AnyActorRef;
  replyTimeoutMs?: number;
}

/** An agent written as a statechart: read the counter, write it + 1 at the version read (compare-and-swap). */
const counterAgent = setup({
  types: {
    input: {} as CounterInput,
    context: {} as CounterInput & { count: number; version: number; error: unknown },
    output: {} as { count: number; error: unknown },
  },
  actors: { stateRequest },
}).createMachine({
  context: ({ input }) => ({ ...input, count: 0, version: -1, error: undefined }),
  initial: 'reading',
  states: {
    reading: {
      invoke: {
        src: 'stateRequest',
        input: ({ context }) => ({ ...context, command: { type: 'state.snapshot' } }),
        onDone: {
          target: 'readingVersion',
          actions: assign({ count: ({ event }) => ((event.output as { count?: number }).count ?? 0) + 1 }),
        },
        onError: { target: 'failed', actions: assign({ error: ({ event }) => event.error }) },
      },
    },
    readingVersion: {
      invoke: {
        src: 'stateRequest',
        input: ({ context }) => ({ ...context, command: { type: 'state.version' } }),
        onDone: { target: 'writing', actions: assign({ version: ({ event }) => event.output as number }) },
        onError: { target: 'failed', actions: assign({ error: ({ event }) => event.error }) },
      },
    },
    writing: {
      invoke: {
        src: 'stateRequest',
        input: ({ context }): CounterInput & { command: OutgoingCommand } => ({
          ...context,
          command: { type: 'state.set', key: 'count', value: context.count, expectedVersion: context.version },
        }),
        onDone: 'done',
        onError: { target: 'failed', actions: assign({ error: ({ event }) => event.error }) },
      },
    },
    done: { type: 'final' },
    failed: { type: 'final' },
  },
  output: ({ context }) => ({ count: context.count, error: context.error }),
});

describe('agents written as statecharts, with stateRequest', () => {
  it('reads and writes through the mailbox; the write is recorded as the agent’s', async () => {
    const state = createThreadSafeState<{ count: number }>({ initialState: { count: 41 } });
    const output = await toPromise(createActor(counterAgent, { input: { agentId: 'counter-1', state: state.actor } }).start());
    expect(output).toEqual({ count: 42, error: undefined });
    expect(state.get('count')).toBe(42);
    expect(state.getHistory().map(({ key, changedBy }) => ({ key, changedBy }))).toEqual([{ key: 'count', changedBy: 'counter-1' }]);
  });

  it('a command the state refuses reaches onError as its typed error, and changes nothing', async () => {
    const state = createThreadSafeState<{ count: number }>({ schema: z.object({ count: z.number().max(5) }), initialState: { count: 5 } });
    const output = await toPromise(createActor(counterAgent, { input: { agentId: 'counter-2', state: state.actor } }).start());
    expect(output.error).toBeInstanceOf(StateValidationError);
    expect(state.get('count')).toBe(5);
    expect(state.getVersion()).toBe(0);
  });

  it('a reply that never comes rejects with StateTimeoutError after replyTimeoutMs', async () => {
    const deaf = createActor(fromCallback(() => undefined)).start();
    const output = await toPromise(createActor(counterAgent, { input: { agentId: 'counter-3', state: deaf, replyTimeoutMs: 20 } }).start());
    expect(output.error).toBeInstanceOf(StateTimeoutError);
    expect((output.error as StateTimeoutError).message).toMatch(/state\.snapshot/);
  });
});

describe('fromAgent replies', () => {
  it('go to the agent’s own actor (replyTo: self); an inspector sees who sent each command and reply', async () => {
    const events: InspectionEvent[] = [];
    const inspect = (event: InspectionEvent) => void events.push(event);
    const state = createThreadSafeState<{ files: string[] }>({ inspect });
    const writer = fromAgent(async ({ state: remote }, _input: AgentInput) => remote.set('files', ['a.ts']));
    const agent = createActor(writer, { input: { agentId: 'writer', state: state.actor }, inspect }).start();
    await toPromise(agent);
    const sent = events.filter((event) => event.type === '@xstate.event');
    const command = sent.find((event) => event.event.type === 'state.set');
    const reply = sent.find((event) => event.event.type === 'state.reply');
    expect(command?.event.replyTo).toBe(agent);
    expect(command?.sourceRef).toBe(agent);
    expect(command?.actorRef).toBe(state.actor);
    expect(reply?.actorRef).toBe(agent);
    expect(reply?.sourceRef).toBe(state.actor);
    expect(reply?.event).toMatchObject({ ok: true, result: 1 });
  });
});

describe('replies an agent did not ask for', () => {
  it('a malformed reply to its real request id neither settles the request nor breaks the agent', async () => {
    let requestId: unknown;
    const listening = createActor(
      fromCallback<EventObject>(({ receive }) => receive((event) => void (requestId = (event as { requestId?: unknown }).requestId))),
    ).start();
    const reader = fromAgent(async ({ state: remote }, _input: AgentInput) => remote.get('secret'));
    const agent = createActor(reader, { input: { agentId: 'reader', state: listening, replyTimeoutMs: 50 } }).start();
    expect(typeof requestId).toBe('string');
    agent.send({ type: 'state.reply', ok: false, error: null, requestId });
    agent.send({ type: 'state.reply', ok: true, requestId });
    expect(agent.getSnapshot().status).toBe('active');
    await expect(toPromise(agent)).rejects.toBeInstanceOf(StateTimeoutError);
  });
});
