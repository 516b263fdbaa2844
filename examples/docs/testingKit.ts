import { createThreadSafeState, type ThreadSafeState } from 'concord-state';
import { checkInterleavings, checkStateModel } from 'concord-state/testing';

interface Pipeline {
  completed: string[];
  files: string[];
}

// Your agent: records its file and marks itself done, each an atomic read-modify-write.
async function generator(state: ThreadSafeState<Pipeline>, name: string): Promise<void> {
  await state.modify('files', (files) => void files.push(`${name}.ts`), { default: [], changedBy: name });
  await state.modify('completed', (done) => void done.push(name), { default: [], changedBy: name });
}

// No agent's work is lost, whatever order the agents' writes reach the mailbox in.
await checkInterleavings({
  createState: () => createThreadSafeState<Pipeline>(),
  workflow: (state) => Promise.all(['model', 'validator', 'tests'].map((name) => generator(state, name))),
  invariant: ({ snapshot }) => snapshot.files?.length === 3 && snapshot.completed?.length === 3,
});

// The state keeps every promise of the reference model, over random command sequences.
await checkStateModel(({ maxHistorySize }) => createThreadSafeState({ maxHistorySize }), {
  keys: ['files', 'completed', '__proto__'],
  mix: { set: 3, modify: 3, rollback: 2, snapshot: 1 },
});
console.log('both properties hold'); // each check throws on a counterexample: in a test file, call them inside it(...)
