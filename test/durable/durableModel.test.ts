/**
 * The durable state against the reference model, closed and reopened at
 * random points of each command sequence: what a restart brings back is
 * what the model says the state holds.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { openThreadSafeState, type DurableThreadSafeState } from 'concord-state';
import { checkStateModel, soakRuns, subjectFromState, type StateSubject } from 'concord-state/testing';

type Shape = Record<string, unknown>;

/** A subject over a durable state that, before some commands (chosen by a seeded generator), closes it and opens it again. */
async function reopeningSubject(maxHistorySize: number, seed: number): Promise<StateSubject & { reopens: () => number }> {
  const dir = mkdtempSync(join(tmpdir(), 'concord-model-'));
  const open = () => openThreadSafeState<Shape>({ dir, durability: 'none', maxHistorySize });
  let state: DurableThreadSafeState<Shape> = await open();
  let inner = subjectFromState(state);
  let random = seed;
  let reopens = 0;
  const maybeReopen = async () => {
    random = (Math.imul(random, 1_103_515_245) + 12_345) >>> 0;
    if (random % 4 !== 0) return;
    await state.close();
    state = await open();
    inner = subjectFromState(state);
    reopens++;
  };
  const through =
    <K extends Exclude<keyof StateSubject, 'dispose'>>(method: K) =>
    async (...args: Parameters<StateSubject[K]>): Promise<Awaited<ReturnType<StateSubject[K]>>> => {
      await maybeReopen();
      return (inner[method] as (...a: Parameters<StateSubject[K]>) => Promise<Awaited<ReturnType<StateSubject[K]>>>)(...args);
    };
  return {
    set: through('set'),
    update: through('update'),
    delete: through('delete'),
    clear: through('clear'),
    modify: through('modify'),
    rollback: through('rollback'),
    clearHistory: through('clearHistory'),
    snapshot: through('snapshot'),
    history: through('history'),
    version: through('version'),
    reopens: () => reopens,
    dispose: () => void state.close().finally(() => rmSync(dir, { recursive: true, force: true })),
  };
}

describe('the durable state against the reference model', () => {
  it('matches the model with a close and reopen at random points', { timeout: 180_000 }, async () => {
    let runs = 0;
    let reopened = 0;
    await checkStateModel(
      async ({ maxHistorySize }) => {
        const subject = await reopeningSubject(maxHistorySize, ++runs);
        const dispose = subject.dispose;
        return { ...subject, dispose: () => ((reopened += subject.reopens()), dispose()) };
      },
      { numRuns: soakRuns(200), maxCommands: 40 },
    );
    // The property held across restarts, not only within one process's memory.
    if (reopened < runs) throw new Error(`only ${reopened} reopens in ${runs} runs`);
  });
});
