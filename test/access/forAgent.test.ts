import { describe, expect, it } from 'vitest';
import { createThreadSafeState, StateAccessError, StateValidationError, type AgentState, type ThreadSafeState } from 'concord-state';

type Shape = Record<string, unknown>;

/** A state with a key the agent may write, one it may only read, and one it may not see. */
function fixture(): { state: ThreadSafeState<Shape>; agent: AgentState<Shape> } {
  const state = createThreadSafeState<Shape>({ initialState: { 'files/a': 'a', 'files/b': 'b', plan: 'p', secret: 's' } });
  const agent = state.forAgent('writer', { read: ['files/*', 'plan'], write: ['files/*'] });
  return { state, agent };
}

/** Everything a refused command could have touched. */
const everything = (state: ThreadSafeState<Shape>) => ({
  snapshot: state.snapshot(),
  version: state.getVersion(),
  history: state.getHistory(),
  marks: state.getKnownGoodMarks(),
});

async function expectRefused(state: ThreadSafeState<Shape>, attempt: () => Promise<unknown>, key: string | null, operation: 'read' | 'write') {
  const before = everything(state);
  const denied = state.getMetrics().accessDeniedCount;
  const error = await attempt().then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(StateAccessError);
  expect(error).toMatchObject({ agentId: 'writer', key, operation });
  expect(everything(state)).toEqual(before);
  expect(state.getMetrics().accessDeniedCount).toBe(denied + 1);
}

describe('forAgent: reads', () => {
  it('reads keys inside its read patterns, and throws StateAccessError for any other, counted in metrics', () => {
    const { state, agent } = fixture();
    expect(agent.get('files/a')).toBe('a');
    expect(agent.get('plan')).toBe('p');
    expect(agent.getRequired('files/b')).toBe('b');
    expect(agent.has('files/zzz')).toBe(false);
    expect(agent.getWithFallback('files/zzz', ['plan'])).toBe('p');
    for (const read of [
      () => agent.get('secret'),
      () => agent.getRequired('secret'),
      () => agent.has('secret'),
      () => agent.getWithFallback('files/zzz', ['secret']),
      () => agent.keyVersion('secret'),
    ]) {
      expect(read).toThrow(StateAccessError);
    }
    expect(agent.keyVersion('files/a')).toBe(0);
    expect(state.getMetrics().accessDeniedCount).toBe(5);
    try {
      agent.get('secret');
    } catch (error) {
      expect(error).toMatchObject({ name: 'StateAccessError', agentId: 'writer', key: 'secret', operation: 'read' });
    }
    state.stop();
  });

  it('lists, counts, snapshots and shows the history of readable keys only', async () => {
    const { state, agent } = fixture();
    await state.set('secret', 's2');
    await state.set('files/a', 'a2');
    expect(agent.keys().sort()).toEqual(['files/a', 'files/b', 'plan']);
    expect(agent.size).toBe(3);
    expect({ ...agent.snapshot() }).toEqual({ 'files/a': 'a2', 'files/b': 'b', plan: 'p' });
    expect(Object.isFrozen(agent.snapshot())).toBe(true);
    expect(agent.snapshot()).toBe(agent.snapshot());
    expect({ ...agent.snapshotAt(1) }).toEqual({ 'files/a': 'a', 'files/b': 'b', plan: 'p' });
    expect(agent.getHistory().map((record) => record.key)).toEqual(['files/a']);
    expect(agent.getHistory({ limit: 1 }).map((record) => record.key)).toEqual(['files/a']);
    expect(() => agent.getHistory({ key: 'secret' })).toThrow(StateAccessError);
    // A missing key's error lists only keys the agent may read.
    expect(() => agent.getRequired('files/zzz')).toThrow(expect.objectContaining({ availableKeys: expect.not.arrayContaining(['secret']) }));
    state.stop();
  });

  it('waits and subscribes on readable keys only', async () => {
    const { state, agent } = fixture();
    const seen: string[][] = [];
    agent.subscribe((commit) => seen.push(commit.records.map((record) => record.key)));
    const waited = agent.waitFor((snapshot) => 'secret' in snapshot || snapshot['files/c'] === 'c');
    await state.set('secret', 'hidden');
    await state.update({ 'files/c': 'c', secret: 'again' });
    const snapshot = await waited;
    expect(Object.keys(snapshot).sort()).toEqual(['files/a', 'files/b', 'files/c', 'plan']);
    expect(seen).toEqual([['files/c']]);
    state.stop();
  });
});

describe('forAgent: writes', () => {
  it('writes inside its patterns, recorded as the agent', async () => {
    const { state, agent } = fixture();
    await agent.set('files/a', 'A');
    await agent.update({ 'files/b': 'B', 'files/c': 'C' });
    await agent.modify('files/a', (value) => `${String(value)}!`);
    await agent.delete('files/c');
    expect(state.snapshot()).toMatchObject({ 'files/a': 'A!', 'files/b': 'B', secret: 's' });
    expect(new Set(state.getHistory().map((record) => record.changedBy))).toEqual(new Set(['writer']));
    state.stop();
  });

  it.each([
    ['set', (agent: AgentState<Shape>) => agent.set('secret', 'x'), 'secret'],
    ['set of a read-only key', (agent: AgentState<Shape>) => agent.set('plan', 'x'), 'plan'],
    ['update with one key outside', (agent: AgentState<Shape>) => agent.update({ 'files/a': 'x', secret: 'x' }), 'secret'],
    ['delete', (agent: AgentState<Shape>) => agent.delete('secret'), 'secret'],
    ['delete of an absent key', (agent: AgentState<Shape>) => agent.delete('other'), 'other'],
    ['modify of a readable key', (agent: AgentState<Shape>) => agent.modify('plan', () => 'x'), 'plan'],
    ['clear, refused whole', (agent: AgentState<Shape>) => agent.clear(), 'plan'],
    ['recoverFromCorruptedState, refused whole', (agent: AgentState<Shape>) => agent.recoverFromCorruptedState(['files/a']), 'plan'],
  ] as const)('%s outside its write patterns: StateAccessError, nothing changed', async (_label, write, key) => {
    const { state, agent } = fixture();
    await expectRefused(state, () => write(agent), key, 'write');
    state.stop();
  });

  it('modify of a key it may not read is refused before the recipe runs', async () => {
    const state = createThreadSafeState<Shape>({ initialState: { secret: 's' } });
    const agent = state.forAgent('writer', { read: [], write: ['*'] });
    let saw: unknown = 'nothing';
    await expectRefused(state, () => agent.modify('secret', (draft) => void (saw = draft)), 'secret', 'read');
    expect(saw).toBe('nothing');
    state.stop();
  });

  it('a rollback that would change a key outside its patterns is refused whole; one inside them is applied', async () => {
    const { state, agent } = fixture();
    await state.set('secret', 'changed'); // v1
    await agent.set('files/a', 'A'); // v2
    // secret is hidden from the agent: the refusal does not name it.
    await expectRefused(state, () => agent.rollback(0), null, 'write');
    await state.markKnownGood();
    await agent.set('files/b', 'B');
    await agent.rollbackToLastKnownGood();
    expect(state.get('files/b')).toBe('b');
    await agent.rollback(1);
    expect(state.snapshot()).toMatchObject({ 'files/a': 'a', secret: 'changed' });
    state.stop();
  });

  it('markKnownGood and clearHistory bind every agent: refused unless it may write every key', async () => {
    const { state, agent } = fixture();
    await state.set('files/a', 'A');
    await expectRefused(state, () => agent.markKnownGood('mine'), null, 'write');
    await expectRefused(state, () => agent.clearHistory(), null, 'write');
    const full = state.forAgent('admin');
    await full.markKnownGood('ok');
    expect(state.getKnownGoodMarks()).toHaveLength(1);
    state.stop();
  });

  it('changedBy cannot name another agent: a typed error, nothing written', async () => {
    const { state, agent } = fixture();
    await expect(agent.set('files/a', 'x', { changedBy: 'admin' })).rejects.toBeInstanceOf(StateValidationError);
    await expect(agent.set('files/a', 'x', { changedBy: 'writer' })).resolves.toBe(1);
    expect(state.getHistory().map((record) => record.changedBy)).toEqual(['writer']);
    state.stop();
  });

  it('the owner keeps full access, and a handle with no patterns reaches every key', async () => {
    const { state } = fixture();
    const everyKey = state.forAgent('all');
    await everyKey.set('secret', 'x');
    await state.set('anything', 1, { changedBy: 'owner' });
    expect(everyKey.get('anything')).toBe(1);
    expect(state.getHistory().map((record) => record.changedBy)).toEqual(['owner', 'all']);
    state.stop();
  });

  it('forAgent refuses a bad agent id or pattern with StateValidationError', () => {
    const { state } = fixture();
    expect(() => state.forAgent('')).toThrow(StateValidationError);
    expect(() => state.forAgent('x', { write: [''] })).toThrow(StateValidationError);
    expect(() => state.forAgent('x', { write: 'files/*' as never })).toThrow(StateValidationError);
    expect(() => state.forAgent('x', { admin: true } as never)).toThrow(StateValidationError);
    state.stop();
  });

  it('a released handle writes nothing more; the state goes on', async () => {
    const { state, agent } = fixture();
    agent.release();
    await expect(agent.set('files/a', 'x')).rejects.toMatchObject({ name: 'StateStoppedError' });
    await state.set('files/a', 'owner');
    expect(state.get('files/a')).toBe('owner');
    state.stop();
  });
});

describe('key patterns', () => {
  it('match exactly, or with * as any run of characters', () => {
    const state = createThreadSafeState<Shape>();
    const agent = state.forAgent('x', { read: ['completedSteps', 'files/*', '*.json', 'a*b*c'] });
    const readable = (key: string) => {
      try {
        agent.has(key);
        return true;
      } catch {
        return false;
      }
    };
    expect(['completedSteps', 'files/', 'files/a', 'files/src/a.ts', 'x.json', 'abc', 'a-b-c'].filter(readable)).toHaveLength(7);
    expect(['completedSteps2', 'file/a', 'xfiles/a', 'x.jsonx', 'ab', 'a.b', 'completed'].filter(readable)).toEqual([]);
    state.stop();
  });
});
