import { describe, it } from 'vitest';
import { createStateActor, createStateConfig, createThreadSafeState } from 'concord-state';
import { checkStateModel, soakRuns, subjectFromActor } from 'concord-state/testing';

/**
 * The state against the reference model: at least 1,000 sequences of up to
 * 50 commands in CI; FC_NUM_RUNS raises the count for a soak.
 */
const numRuns = soakRuns(1000);

describe('the state against the reference model', () => {
  it('through the facade', { timeout: 120_000 }, async () => {
    await checkStateModel(({ maxHistorySize }) => createThreadSafeState({ maxHistorySize }), { numRuns, maxCommands: 50 });
  });

  it('through the protocol, as an agent sends it', { timeout: 120_000 }, async () => {
    await checkStateModel(
      ({ maxHistorySize }) => {
        const actor = createStateActor(createStateConfig({ maxHistorySize }));
        const subject = subjectFromActor(actor);
        return { ...subject, dispose: () => (subject.dispose(), actor.stop()) };
      },
      { numRuns: Math.ceil(numRuns / 4), maxCommands: 50 },
    );
  });
});
