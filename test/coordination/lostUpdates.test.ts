import { describe, expect, it } from 'vitest';
import { createActor, toPromise } from 'xstate';
import { z } from 'zod';
import { createThreadSafeState, StateConflictError } from 'concord-state';
import { incrementAgent } from '../../actors/incrementAgent.actor.ts';

const AGENTS = 10;
const INCREMENTS = 100;

/** Lets every other agent run between a read and the write that depends on it. */
const yieldToOthers = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('10 agents x 100 increments', () => {
  it('modify: every increment lands, 1000 versions, 1000 records', async () => {
    const state = createThreadSafeState<{ counter: number }>({ initialState: { counter: 0 }, maxHistorySize: 5000 });
    await Promise.all(
      Array.from({ length: AGENTS }, async (_, agent) => {
        for (let i = 0; i < INCREMENTS; i++) {
          await state.modify('counter', (n) => n + 1, { default: 0, changedBy: `agent-${agent}` });
          await yieldToOthers();
        }
      }),
    );
    expect(state.get('counter')).toBe(AGENTS * INCREMENTS);
    expect(state.getVersion()).toBe(AGENTS * INCREMENTS);
    const history = state.getHistory({ key: 'counter' });
    expect(history).toHaveLength(AGENTS * INCREMENTS);
    expect(new Set(history.map((record) => record.changedBy)).size).toBe(AGENTS);
  });

  it('get then set across an await loses updates (the race modify exists to prevent)', async () => {
    const state = createThreadSafeState<{ counter: number }>({ initialState: { counter: 0 } });
    await Promise.all(
      Array.from({ length: AGENTS }, async () => {
        for (let i = 0; i < INCREMENTS; i++) {
          const seen = state.get('counter', 0);
          await yieldToOthers();
          await state.set('counter', seen + 1);
        }
      }),
    );
    // Every set was applied (1000 versions) but most overwrote another agent's increment.
    expect(state.getVersion()).toBe(AGENTS * INCREMENTS);
    expect(state.get('counter')).toBeLessThan(AGENTS * INCREMENTS);
  });

  it('expectedVersion turns the lost update into a StateConflictError that a retry loop resolves', async () => {
    const state = createThreadSafeState<{ counter: number }>({ initialState: { counter: 0 } });
    let conflicts = 0;
    await Promise.all(
      Array.from({ length: AGENTS }, async () => {
        for (let i = 0; i < INCREMENTS; i++) {
          for (;;) {
            const version = state.getVersion();
            const seen = state.get('counter', 0);
            await yieldToOthers();
            try {
              await state.set('counter', seen + 1, { expectedVersion: version });
              break;
            } catch (error) {
              expect(error).toBeInstanceOf(StateConflictError);
              conflicts++;
            }
          }
        }
      }),
    );
    expect(state.get('counter')).toBe(AGENTS * INCREMENTS);
    expect(conflicts).toBeGreaterThan(0);
    expect(state.getMetrics().rejectedCount).toBe(conflicts);
  });

  it('agents written as statecharts, speaking only the protocol, also end at exactly 1000', async () => {
    const state = createThreadSafeState<{ counter: number }>({ initialState: { counter: 0 }, maxHistorySize: 5000 });
    const agents = Array.from({ length: AGENTS }, (_, agent) =>
      createActor(incrementAgent, { input: { agentId: `agent-${agent}`, state: state.actor, key: 'counter', times: INCREMENTS } }).start(),
    );
    const outputs = await Promise.all(agents.map((agent) => toPromise(agent)));
    expect(outputs.every((output) => output.increments === INCREMENTS && output.error === null)).toBe(true);
    expect(state.get('counter')).toBe(AGENTS * INCREMENTS);
    expect(state.getHistory({ key: 'counter', limit: 1 })[0]?.changedBy).toMatch(/^agent-\d$/);
  });

  it('an agent whose command is rejected ends in failed with the error payload', async () => {
    const state = createThreadSafeState({ schema: z.object({ counter: z.string() }) });
    const agent = createActor(incrementAgent, { input: { agentId: 'typed', state: state.actor, key: 'counter', times: 3 } }).start();
    const output = await toPromise(agent);
    expect(agent.getSnapshot().value).toBe('failed');
    expect(output.increments).toBe(0);
    expect(output.error?.name).toBe('StateValidationError');
    expect(state.getVersion()).toBe(0);
  });
});
