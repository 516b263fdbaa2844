import { describe, expect, expectTypeOf, it } from 'vitest';
import { createActor, toPromise, type PromiseActorLogic } from 'xstate';
import { createThreadSafeState, fromAgent, StateClient, type AgentInput, type StateChangeRecord, type StateShape } from 'concord-state';

/*
 * Type tests of agents: `tsc --noEmit -p tsconfig.json` checks them (see
 * schemaState.test.ts). Calls that must not compile sit in functions that
 * never run, so that they cannot write to the state.
 */

interface Shape {
  completedSteps: string[];
  completedAgents: string[];
  count: number;
}

type ReviewInput = AgentInput & { after: string };

/** Waits for `after` to complete, then counts the steps: every call on ctx.state typed by Shape, no casts. */
const reviewer = fromAgent<Shape>()(async ({ state }, input: ReviewInput) => {
  expectTypeOf(state).toEqualTypeOf<StateClient<Shape>>();
  const seen = await state.waitFor((snapshot) => snapshot.completedAgents?.includes(input.after) ?? false, { timeout: 5_000 });
  expectTypeOf(seen).toEqualTypeOf<Partial<Shape>>();
  const steps = await state.get('completedSteps');
  expectTypeOf(steps).toEqualTypeOf<string[] | undefined>();
  expectTypeOf(await state.get('count', 0)).toEqualTypeOf<number>();
  const count = await state.modify(
    'count',
    (n) => {
      expectTypeOf(n).toEqualTypeOf<number>();
      return n + 1;
    },
    { default: 0 },
  );
  expectTypeOf(count).toEqualTypeOf<number>();
  await state.modify('completedSteps', (done) => {
    expectTypeOf(done).toEqualTypeOf<string[] | undefined>();
    return [...(done ?? []), 'review'];
  });
  expectTypeOf(await state.set('completedAgents', [input.agentId])).toEqualTypeOf<number>();
  expectTypeOf(await state.snapshot()).toEqualTypeOf<Partial<Shape>>();
  expectTypeOf(await state.history({ key: 'count' })).toEqualTypeOf<StateChangeRecord[]>();
  return { steps: steps ?? [], count };
});

/** What must not compile on a typed client; never called. */
export function refusedOnATypedClient(state: StateClient<Shape>): void {
  // @ts-expect-error the shape has no key "missing"
  void state.get('missing');
  // @ts-expect-error a typed client takes its value types from the shape, not from the caller
  void state.get<number>('count');
  // @ts-expect-error count is a number
  void state.set('count', 'one');
  // @ts-expect-error completedSteps is a string[]
  void state.update({ completedSteps: [1] });
  // @ts-expect-error the shape has no key "missing"
  void state.delete('missing');
  // @ts-expect-error the recipe must return a number
  void state.modify('count', () => 'one', { default: 0 });
  // @ts-expect-error a snapshot has no key the shape does not name
  void state.waitFor((snapshot) => snapshot.missing === 1);
}

describe('agents typed by the state’s shape', () => {
  it('fromAgent<Shape>() infers output and input from the function, and types ctx.state by the shape', async () => {
    expectTypeOf(reviewer).toEqualTypeOf<PromiseActorLogic<{ steps: string[]; count: number }, ReviewInput>>();
    const state = createThreadSafeState<Shape>({ initialState: { completedSteps: ['parse'], count: 1 } });
    const review = createActor(reviewer, { input: { agentId: 'reviewer', state: state.actor, after: 'writer' } }).start();
    await state.set('completedAgents', ['writer']);
    await expect(toPromise(review)).resolves.toEqual({ steps: ['parse'], count: 2 });
    expect(state.get('completedAgents')).toEqual(['reviewer']);
    expect(state.get('completedSteps')).toEqual(['parse', 'review']);
  });

  it('fromAgent<Output, Input, Shape>(work) types ctx.state by its third type argument', async () => {
    const counter = fromAgent<number, AgentInput, Shape>(async ({ state }) => {
      expectTypeOf(state).toEqualTypeOf<StateClient<Shape>>();
      return state.get('count', 0);
    });
    expectTypeOf(counter).toEqualTypeOf<PromiseActorLogic<number, AgentInput>>();
    const state = createThreadSafeState<Shape>({ initialState: { count: 7 } });
    await expect(toPromise(createActor(counter, { input: { agentId: 'counter', state: state.actor } }).start())).resolves.toBe(7);
  });

  it('fromAgent(work) without a shape is as it was: an untyped client, value types named by the caller', async () => {
    const untyped = fromAgent(async ({ state }, input: AgentInput) => {
      expectTypeOf(state).toEqualTypeOf<StateClient<StateShape>>();
      expectTypeOf(await state.get('anything')).toEqualTypeOf<unknown>();
      expectTypeOf(await state.get('count', 0)).toEqualTypeOf<number>();
      const snapshot = await state.snapshot();
      expectTypeOf(snapshot).toEqualTypeOf<Partial<StateShape>>();
      await state.modify<string[]>('files', (files) => [...(files ?? []), `${input.agentId}.ts`]);
      return state.get<string[]>('files');
    });
    expectTypeOf(untyped).toEqualTypeOf<PromiseActorLogic<string[], AgentInput>>();
    const state = createThreadSafeState();
    await expect(toPromise(createActor(untyped, { input: { agentId: 'files', state: state.actor } }).start())).resolves.toEqual(['files.ts']);
  });
});
