/**
 * Agents' handles on a replicated state: each entry carries the agent and
 * its patterns, and every replica checks the write against them as it
 * applies the entry, so all of them refuse the same writes and record the
 * same agent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActor, toPromise } from 'xstate';
import { fromAgent, runPipeline, StateAccessError, StateValidationError, type AgentInput, type WorkflowState } from 'concord-state';
import { connectThreadSafeState, type ReplicatedThreadSafeState } from 'concord-state/redis';
import { testRedis, uniqueName, type TestRedis } from './support/redisServer.ts';

type Shape = Record<string, unknown>;

let redis: TestRedis;
const opened: ReplicatedThreadSafeState<Shape>[] = [];

beforeAll(async () => {
  redis = await testRedis();
});
afterAll(async () => {
  await Promise.all(opened.map((state) => state.close()));
  await redis.dispose();
});

async function replica(name: string) {
  const state = await connectThreadSafeState<Shape>({ url: redis.url, name, initialState: { secret: 's' } });
  opened.push(state);
  return state;
}

describe("an agent's handle on a replicated state", () => {
  it('records the agent on every replica, and every replica refuses the same write outside its patterns', async () => {
    const name = uniqueName('agents');
    const [a, b] = [await replica(name), await replica(name)];
    const agent = a.forAgent('worker-1', { read: ['files/*'], write: ['files/*'] });
    await agent.set('files/x', 1);
    await agent.update({ 'files/y': 2 });
    await agent.modify('files/x', (n) => (n as number) + 1);
    await expect(agent.set('secret', 'x')).rejects.toMatchObject({ name: 'StateAccessError', agentId: 'worker-1', key: 'secret', operation: 'write' });
    await expect(agent.clear()).rejects.toBeInstanceOf(StateAccessError);
    await expect(agent.set('files/z', 3, { changedBy: 'admin' })).rejects.toBeInstanceOf(StateValidationError);
    expect(() => agent.get('secret')).toThrow(StateAccessError);
    await Promise.all([a.sync(), b.sync()]);
    for (const state of [a, b]) {
      expect(state.get('secret')).toBe('s');
      expect(state.get('files/x')).toBe(2);
      expect(new Set(state.getHistory().map((record) => record.changedBy))).toEqual(new Set(['worker-1']));
    }
    expect(b.getHistory()).toEqual(a.getHistory());
    expect(b.getVersion()).toBe(a.getVersion());
    // The two refused entries were refused by b too, as it applied them.
    expect(b.getMetrics().accessDeniedCount).toBe(2);
  });

  it('a replica joining later applies the agent entries as the others did', async () => {
    const name = uniqueName('agents-late');
    const a = await replica(name);
    const agent = a.forAgent('late-writer', { write: ['files/*'] });
    await agent.set('files/a', 'A');
    await agent.set('secret', 'no').catch(() => undefined);
    const late = await replica(name);
    await late.sync();
    expect(late.getHistory()).toEqual(a.getHistory());
    expect(late.get('secret')).toBe('s');
  });
});

describe("an agent's actor on a replicated state", () => {
  it('runs fromAgent agents through the stream: their writes reach every replica as theirs, refusals typed', async () => {
    const name = uniqueName('agents-actor');
    const [a, b] = [await replica(name), await replica(name)];
    const handle = a.forAgent('remote-writer', { read: ['files/*'], write: ['files/*'] });
    const logic = fromAgent(async ({ state }) => {
      await state.set('files/one', 1, { changedBy: 'root' });
      await state.modify<number>('files/one', (n) => n + 1);
      const read = await state.get<number>('files/one');
      const refused = await state.set('secret', 'x').then(
        () => 'written',
        (error: unknown) => (error as Error).name,
      );
      const keys = Object.keys(await state.snapshot());
      return { read, refused, keys };
    });
    const output = await toPromise(createActor(logic, { input: { agentId: 'root', state: handle.actor } }).start());
    expect(output).toEqual({ read: 2, refused: 'StateAccessError', keys: ['files/one'] });
    await Promise.all([a.sync(), b.sync()]);
    expect(b.getHistory()).toEqual(a.getHistory());
    expect(new Set(b.getHistory().map((record) => record.changedBy))).toEqual(new Set(['remote-writer']));
    expect(b.get('secret')).toBe('s');
  });

  it('runs a pipeline whose stages write through the stream', async () => {
    const name = uniqueName('agents-pipeline');
    const [a, b] = [await replica(name), await replica(name)];
    const writer = fromAgent(async ({ state, agentId }, _input: AgentInput) => {
      await state.set(`files/${agentId}`, agentId);
    });
    const { done } = runPipeline({
      pipeline: { stages: [{ id: 'gen', agent: 'writer', writes: ['files/*'] }] },
      items: [
        { id: 'x', data: null },
        { id: 'y', data: null },
      ],
      state: a as unknown as WorkflowState,
      agents: { writer },
    });
    expect(await done).toEqual({ status: 'completed' });
    await Promise.all([a.sync(), b.sync()]);
    expect(b.get('files/gen:x')).toBe('gen:x');
    expect(b.get('completedSteps')).toEqual(['gen']);
    expect(b.getHistory()).toEqual(a.getHistory());
  });
});

describe('a compare-and-swap through a handle on a replicated state', () => {
  it("on a key the agent may not read is refused as a read on every replica: the key's version is not told", async () => {
    const name = uniqueName('agents-cas');
    const [a, b] = [await replica(name), await replica(name)];
    await a.set('secret', 'moved');
    const agent = a.forAgent('mallory', { read: ['pub'], write: ['pub', 'secret'] });
    await expect(agent.set('secret', 'x', { expectedKeyVersion: 0 })).rejects.toMatchObject({ name: 'StateAccessError', operation: 'read' });
    await expect(agent.update({ pub: 1 }, { expectedKeyVersions: { secret: 0 } })).rejects.toMatchObject({ name: 'StateAccessError' });
    await Promise.all([a.sync(), b.sync()]);
    expect(b.getHistory()).toEqual(a.getHistory());
    expect(b.get('secret')).toBe('moved');
  });
});
