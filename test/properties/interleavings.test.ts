import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromPromise, setup } from 'xstate';
import { createThreadSafeState, StateConflictError, type ThreadSafeState } from 'concord-state';
import { checkInterleavings, interleavingProperty } from 'concord-state/testing';

type Counter = { n: number; [agent: string]: number };
const AGENTS = 3;
const STEPS = 3;
const counterState = () => createThreadSafeState<Counter>({ initialState: { n: 0 }, maxHistorySize: 100 });
const agents = (agent: (state: ThreadSafeState<Counter>, id: number) => Promise<void>) => (state: ThreadSafeState<Counter>) =>
  Promise.all(Array.from({ length: AGENTS }, (_, id) => agent(state, id)));

describe('agents interleaved at random by fast-check’s scheduler', () => {
  it('modify never loses an update', async () => {
    await checkInterleavings({
      createState: counterState,
      workflow: agents(async (state, id) => {
        for (let step = 0; step < STEPS; step++) await state.modify('n', (n) => n + 1, { default: 0, changedBy: `agent-${id}` });
      }),
      invariant: ({ snapshot, version }) => snapshot.n === AGENTS * STEPS && version === AGENTS * STEPS,
      numRuns: 200,
    });
  });

  it('expectedVersion writes with a retry never lose an update', async () => {
    await checkInterleavings({
      createState: counterState,
      workflow: agents(async (state) => {
        for (let step = 0; step < STEPS; step++) {
          for (;;) {
            const version = state.getVersion();
            const seen = state.get('n', 0);
            try {
              await state.set('n', seen + 1, { expectedVersion: version });
              break;
            } catch (error) {
              if (!(error instanceof StateConflictError)) throw error;
            }
          }
        }
      }),
      invariant: ({ snapshot }) => snapshot.n === AGENTS * STEPS,
      numRuns: 200,
    });
  });

  it('get then set across an await: the scheduler finds an order that loses an update', async () => {
    const details = await fc.check(
      interleavingProperty({
        createState: counterState,
        workflow: agents(async (state, id) => {
          await state.set(`started-${id}`, 1);
          const seen = state.get('n', 0);
          await state.set('n', seen + 1);
        }),
        invariant: ({ snapshot }) => snapshot.n === AGENTS,
      }),
      { numRuns: 200, seed: 7 },
    );
    expect(details.failed).toBe(true);
    expect(String(details.counterexample as unknown)).toContain('set("n"');
  });

  it('a workflow machine whose agents are fromPromise actors is run to completion under each interleaving', async () => {
    const workflow = (state: ThreadSafeState<Counter>) =>
      setup({
        actors: {
          agent: fromPromise(async ({ input }: { input: { id: string } }) => {
            await state.modify('n', (n) => n + 1, { default: 0, changedBy: input.id });
            await state.set(input.id, 1, { changedBy: input.id });
          }),
        },
      }).createMachine({
        type: 'parallel',
        states: Object.fromEntries(
          ['model', 'validator'].map((id) => [
            id,
            { initial: 'running', states: { running: { invoke: { src: 'agent', input: { id }, onDone: 'done' } }, done: { type: 'final' } } },
          ]),
        ),
      });
    await checkInterleavings({
      createState: counterState,
      workflow,
      invariant: ({ snapshot, history }) =>
        snapshot.n === 2 && snapshot.model === 1 && snapshot.validator === 1 && history.filter((r) => r.changedBy === 'model').length === 2,
      numRuns: 100,
    });
  });
});
