/**
 * Issue 13, finding 9: a retried wave rolls back attempt by attempt, so the
 * history window needs to hold one attempt, not every attempt and every
 * rollback. With `maxHistorySize: 8`, a wave writing 5 records that fails
 * twice succeeds on its third attempt, and nothing of the failed ones is left.
 */
import { describe, expect, it } from 'vitest';
import { createThreadSafeState, fromAgent, runPipeline, type AgentInput, type WorkflowStateShape } from 'concord-state';

const RECORDS = 5;
const items = [{ id: 'only', data: null }];
const smallState = () =>
  createThreadSafeState<WorkflowStateShape & Record<string, unknown>>({ initialState: { completedSteps: [], completedAgents: [] }, maxHistorySize: 8 });

/** Writes `r0`..`r4` as `attempt <n>` (5 records, 5 versions), then fails while `n <= failures`. */
function writerFailing(failures: number) {
  let attempt = 0;
  const agent = fromAgent(async ({ state }, _input: AgentInput) => {
    attempt++;
    for (let i = 0; i < RECORDS; i++) await state.set(`r${i}`, `attempt ${attempt}`);
    if (attempt <= failures) throw new Error(`attempt ${attempt} failed`);
  });
  return { agent, attempts: () => attempt };
}

describe('a retried wave in a small history window', () => {
  it('rolls back each failed attempt to where it began, and completes on the third attempt', async () => {
    const state = smallState();
    const { agent, attempts } = writerFailing(2);
    const { done } = runPipeline({ pipeline: { stages: [{ id: 'wave', agent: 'wave', retries: 2 }] }, items, state, agents: { wave: agent } });
    expect(await done).toEqual({ status: 'completed' });
    expect(attempts()).toBe(3);
    expect({ ...state.snapshot() }).toEqual({
      completedSteps: ['wave'],
      completedAgents: ['wave:only'],
      ...Object.fromEntries(Array.from({ length: RECORDS }, (_, i) => [`r${i}`, 'attempt 3'])),
    });
    state.stop();
  });

  it('past its retries, fails with the stage error alone, the state as it was before the wave', async () => {
    const state = smallState();
    const before = { ...state.snapshot() };
    const { agent } = writerFailing(3);
    const { done } = runPipeline({ pipeline: { stages: [{ id: 'wave', agent: 'wave', retries: 2 }] }, items, state, agents: { wave: agent } });
    const output = await done;
    expect(output).toMatchObject({ status: 'failed', stage: 'wave', attempts: 3 });
    expect(output.rollbackError).toBeUndefined();
    expect(String(output.error)).toBe('Error: attempt 3 failed');
    expect({ ...state.snapshot() }).toEqual(before);
    state.stop();
  });
});
