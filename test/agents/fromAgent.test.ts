import { describe, expect, it, vi } from 'vitest';
import { createActor, fromCallback, toPromise, type InspectionEvent } from 'xstate';
import { connectInProcess, createThreadSafeState, fromAgent, StateTimeoutError, type AgentInput } from 'concord-state';

type Pipeline = { completedAgents: string[]; files: string[] };

const generator = fromAgent(async ({ state, agentId }, input: AgentInput & { file: string; after?: string }) => {
  if (input.after !== undefined) {
    const after = input.after;
    await state.waitFor((snapshot) => ((snapshot.completedAgents as string[] | undefined) ?? []).includes(after), { timeout: 5_000 });
  }
  await state.modify<string[]>('files', (files) => [...(files ?? []), input.file]);
  await state.modify<string[]>('completedAgents', (done) => [...(done ?? []), agentId]);
  return state.get<string[]>('files');
});

describe('fromAgent: agents that reach the state only through the protocol', () => {
  it('writes are recorded as changedBy the agent, values come back as copies', async () => {
    const state = createThreadSafeState<Pipeline>();
    const agent = createActor(generator, { input: { agentId: 'model-gen', state: state.actor, file: 'models/user.ts' } }).start();
    const files = await toPromise(agent);
    expect(files).toEqual(['models/user.ts']);
    files.push('not in the state');
    expect(state.get('files')).toEqual(['models/user.ts']);
    expect(state.getHistory().map((record) => record.changedBy)).toEqual(['model-gen', 'model-gen']);
  });

  it('waitFor over the mailbox: the validator starts after the model agent, whichever is started first', async () => {
    const state = createThreadSafeState<Pipeline>();
    const validator = createActor(generator, {
      input: { agentId: 'validator-gen', state: state.actor, file: 'validators/user.ts', after: 'model-gen' },
    }).start();
    const model = createActor(generator, { input: { agentId: 'model-gen', state: state.actor, file: 'models/user.ts' } }).start();
    await Promise.all([toPromise(validator), toPromise(model)]);
    expect(state.get('files')).toEqual(['models/user.ts', 'validators/user.ts']);
    expect(state.get('completedAgents')).toEqual(['model-gen', 'validator-gen']);
  });

  it('a reply that never comes rejects with StateTimeoutError after replyTimeoutMs', async () => {
    vi.useFakeTimers();
    try {
      const silent = createActor(fromCallback(() => undefined)).start();
      const agent = createActor(
        fromAgent(async ({ state }) => state.get('anything')),
        {
          input: { agentId: 'lonely', state: silent, replyTimeoutMs: 250 },
        },
      ).start();
      const outcome = toPromise(agent).catch((error: unknown) => error);
      await vi.advanceTimersByTimeAsync(250);
      const error = await outcome;
      expect(error).toBeInstanceOf(StateTimeoutError);
      expect(error).toMatchObject({ timeoutMs: 250, operation: 'state.get' });
    } finally {
      vi.useRealTimers();
    }
  });

  it('an agent with no state to reach fails with an error that says so', async () => {
    const agent = createActor(
      fromAgent(async () => 'never'),
      { input: { agentId: 'orphan' } },
    ).start();
    await expect(toPromise(agent)).rejects.toThrow('agent orphan: no state actor');
  });

  it('an error from the state (a rejected command) fails the agent with the same class', async () => {
    const state = createThreadSafeState<Pipeline>();
    const agent = createActor(
      fromAgent(async ({ state: remote }) => remote.rollback(5)),
      { input: { agentId: 'undo', state: state.actor } },
    ).start();
    await expect(toPromise(agent)).rejects.toMatchObject({ name: 'StateVersionError', targetVersion: 5 });
  });
});

describe('the commands a client sends', () => {
  it('carry the agent id, the options and a request id; request() copies the caller’s command instead of adding to it', async () => {
    const received: Record<string, unknown>[] = [];
    const inspect = (event: InspectionEvent) => {
      if (event.type === '@xstate.event' && event.event.type.startsWith('state.') && event.event.type !== 'state.reply') received.push(event.event);
    };
    const state = createThreadSafeState<Record<string, number>>({ initialState: { n: 1 }, inspect });
    const { client, dispose } = connectInProcess(state.actor, { agentId: 'writer' });
    await client.set('n', 2, { expectedVersion: 0 });
    await client.set('n', 3, { changedBy: 'someone else' });
    const mine = { type: 'state.get' as const, key: 'n' };
    expect(await client.request(mine)).toBe(3);
    dispose();
    expect(mine).toEqual({ type: 'state.get', key: 'n' });
    expect(received).toMatchObject([
      { type: 'state.set', key: 'n', value: 2, changedBy: 'writer', expectedVersion: 0 },
      { type: 'state.set', key: 'n', value: 3, changedBy: 'someone else' },
      { type: 'state.get', key: 'n', changedBy: 'writer' },
    ]);
    for (const command of received) expect(command.requestId).toMatch(/^writer#/);
    expect(new Set(received.map((command) => command.requestId)).size).toBe(3);
    expect(state.getHistory().map(({ changedBy }) => changedBy)).toEqual(['someone else', 'writer']);
  });
});
