/** Issue 13, finding 7: an inspector that throws, at any event kind, is reported once and detached; the state goes on. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fromPromise, type InspectionEvent } from 'xstate';
import { createThreadSafeState, runPipeline, type WorkflowStateShape } from 'concord-state';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('an inspector that throws', () => {
  it.each(['@xstate.snapshot', '@xstate.event', '@xstate.actor'])(
    'once on %s: it is detached, reported once, and every later write still resolves',
    async (kind) => {
      const report = vi.spyOn(console, 'error').mockImplementation(() => undefined);
      const seen: string[] = [];
      let thrown = false;
      const inspect = (event: InspectionEvent) => {
        seen.push(event.type);
        if (!thrown && event.type === kind) {
          thrown = true;
          throw new Error('inspector bug');
        }
      };
      const state = createThreadSafeState<Record<string, number>>({ inspect });
      await state.set('a', 1);
      const seenWhenThrown = seen.length;
      await expect(state.set('a', 2)).resolves.toBe(2);
      await expect(state.modify('a', (n) => (n ?? 0) + 1)).resolves.toBe(3);
      expect(state.actor.getSnapshot().status).toBe('active');
      expect(thrown).toBe(true);
      expect(seen.length).toBe(seenWhenThrown);
      expect(report).toHaveBeenCalledTimes(1);
      state.stop();
    },
  );

  it('given as an observer object, or to a pipeline, is detached the same way', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const state = createThreadSafeState<WorkflowStateShape>({
      inspect: {
        next: () => {
          throw new Error('always');
        },
      },
    });
    await expect(state.set('completedSteps', [])).resolves.toBe(1);
    const { done } = runPipeline({
      pipeline: { stages: [{ id: 's', agent: 'a' }] },
      items: [{ id: 'one', data: null }],
      state,
      agents: { a: fromPromise(() => Promise.resolve()) },
      inspect: () => {
        throw new Error('always');
      },
    });
    await expect(done).resolves.toMatchObject({ status: 'completed' });
    state.stop();
  });
});
