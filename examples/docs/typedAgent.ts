import { createActor, toPromise } from 'xstate';
import { z } from 'zod';
import { createThreadSafeState, fromAgent, type AgentInput } from 'concord-state';

const WorkflowSchema = z.object({ completedSteps: z.array(z.string()), completedAgents: z.array(z.string()), reviews: z.number() });
type Workflow = z.infer<typeof WorkflowSchema>;

// The schema alone types the state, a ThreadSafeState<Workflow>; initialState may hold any of its keys.
const state = createThreadSafeState({ schema: WorkflowSchema, initialState: { completedSteps: ['parse'] } });

// fromAgent<Shape>() types ctx.state by the shape; the output and the input are inferred from the function.
const reviewer = fromAgent<Workflow>()(async ({ state }, input: AgentInput & { after: string }) => {
  await state.waitFor((s) => s.completedAgents?.includes(input.after) ?? false, { timeout: 5_000 }); // s: Partial<Workflow>
  const steps = await state.get('completedSteps'); // string[] | undefined
  const reviews = await state.modify('reviews', (n) => n + 1, { default: 0 }); // n: number, with a default
  await state.modify('completedSteps', (done) => [...(done ?? []), 'review']); // done: string[] | undefined, without one
  // @ts-expect-error reviews is a number: the typecheck refuses this, and so does the state's schema
  await state.set('reviews', 'many').catch((error: unknown) => console.log((error as Error).name)); // StateValidationError
  return { steps: steps ?? [], reviews };
});

// fromAgent<Output, Input, Shape>(work) names all three.
const counter = fromAgent<number, AgentInput, Workflow>(async ({ state }) => state.get('reviews', 0));

const review = createActor(reviewer, { input: { agentId: 'reviewer', state: state.forAgent('reviewer').actor, after: 'writer' } }).start();
await state.set('completedAgents', ['writer']); // what the reviewer waits for
console.log(await toPromise(review)); // { steps: [ 'parse' ], reviews: 1 }
console.log(await toPromise(createActor(counter, { input: { agentId: 'counter', state: state.forAgent('counter', { write: [] }).actor } }).start())); // 1
console.log(state.get('completedSteps'), state.getHistory({ key: 'reviews' })[0]?.changedBy); // [ 'parse', 'review' ] reviewer
state.stop();
