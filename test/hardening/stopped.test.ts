/** Issue 13, finding 10: stopping while a command runs, and agents of a stopped state. */
import { describe, expect, it } from 'vitest';
import { createActor, toPromise } from 'xstate';
import { createThreadSafeState, fromAgent, StateStoppedError, type AgentInput } from 'concord-state';

describe('a stopped state', () => {
  it('a modify whose recipe calls stop() is applied, and its promise says so; later writes reject', async () => {
    const state = createThreadSafeState<Record<string, number>>({ initialState: { n: 1 } });
    const applied = state.modify('n', (n) => {
      state.stop();
      return (n ?? 0) + 1;
    });
    await expect(applied).resolves.toBe(2);
    expect(state.get('n')).toBe(2);
    await expect(state.set('n', 3)).rejects.toBeInstanceOf(StateStoppedError);
  });

  it("rejects its agents' commands with StateStoppedError at once, not after their reply timeout", async () => {
    const state = createThreadSafeState<Record<string, number>>();
    state.stop();
    const late = fromAgent(async ({ state: remote }, _input: AgentInput) => remote.set('n', 1));
    const agent = createActor(late, { input: { agentId: 'late', state: state.actor, replyTimeoutMs: 3_600_000 } }).start();
    await expect(toPromise(agent)).rejects.toBeInstanceOf(StateStoppedError);
  });

  it('rejects the pending commands of agents when it stops under them', async () => {
    const state = createThreadSafeState<Record<string, number>>();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const waiting = fromAgent(async ({ state: remote }, _input: AgentInput) => {
      await gate;
      const pending = remote.waitFor((snapshot) => snapshot.n === 99);
      state.stop();
      return pending;
    });
    const agent = createActor(waiting, { input: { agentId: 'waiting', state: state.actor, replyTimeoutMs: 3_600_000 } }).start();
    release();
    await expect(toPromise(agent)).rejects.toBeInstanceOf(StateStoppedError);
  });
});
