/**
 * How a user tests their own agents with Concord's testing kit: exactly as in
 * the README, importing `concord-state/testing` by its package name.
 */
import { describe, it } from 'vitest';
import { createThreadSafeState, type ThreadSafeState } from 'concord-state';
import { checkInterleavings, checkStateModel } from 'concord-state/testing';

interface Pipeline {
  completed: string[];
  files: string[];
}

/** A user's agent: records its file and marks itself done, atomically. */
async function generator(state: ThreadSafeState<Pipeline>, name: string): Promise<void> {
  await state.modify('files', (files) => void files.push(`${name}.ts`), { default: [], changedBy: name });
  await state.modify('completed', (done) => void done.push(name), { default: [], changedBy: name });
}

describe('my pipeline', () => {
  it('loses no agent’s work, whatever order their writes arrive in', async () => {
    await checkInterleavings({
      createState: () => createThreadSafeState<Pipeline>(),
      workflow: (state) => Promise.all(['model', 'validator', 'tests'].map((name) => generator(state, name))),
      invariant: ({ snapshot, history }) =>
        snapshot.files?.length === 3 && snapshot.completed?.length === 3 && history.every((record) => record.changedBy !== null),
      numRuns: 100,
    });
  });

  it('the state itself keeps every promise against the reference model', async () => {
    await checkStateModel(({ maxHistorySize }) => createThreadSafeState({ maxHistorySize }), {
      numRuns: 100,
      keys: ['files', 'completed', '__proto__'],
      mix: { set: 3, modify: 3, rollback: 2, snapshot: 1 },
    });
  });
});
