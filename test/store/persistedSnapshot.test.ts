/** XState's persistence of the state actor: a plain value, restored whole by createActor(stateLogic, { snapshot }). */
import { describe, expect, it } from 'vitest';
import { createActor, type Snapshot } from 'xstate';
import { connectInProcess, createThreadSafeState, stateLogic } from 'concord-state';

async function writtenState() {
  const state = createThreadSafeState<Record<string, unknown>>({ maxHistorySize: 5, clock: () => 42 });
  await state.set('a', 1, { changedBy: 'agent-1' });
  await state.update({ b: new Map([['k', 2n]]), c: null });
  await state.markKnownGood('good');
  await state.delete('c');
  await state.set('a', 2);
  return state;
}

describe('the persisted snapshot', () => {
  it('is a plain value JSON carries, which a later write does not change', async () => {
    const state = await writtenState();
    const persisted = state.actor.getPersistedSnapshot();
    const text = JSON.stringify(persisted);
    expect(JSON.parse(text)).toMatchObject({ status: 'active', format: 'concord-state', options: { maxHistorySize: 5, snapshotCacheSize: 16 } });
    await state.set('a', 3);
    expect(JSON.stringify(persisted)).toBe(text);
    state.stop();
  });

  it('restores exactly, options included, with no input, and apart from the original', async () => {
    const original = await writtenState();
    const persisted: unknown = JSON.parse(JSON.stringify(original.actor.getPersistedSnapshot()));
    const restored = createActor(stateLogic, { snapshot: persisted as Snapshot<undefined> }).start();
    const { client, dispose } = connectInProcess(restored, { agentId: 'reader' });
    expect(await client.version()).toBe(original.getVersion());
    expect(await client.snapshot()).toEqual({ ...original.snapshot() });
    expect(await client.history()).toEqual(original.getHistory());
    expect(await client.snapshot(2)).toEqual({ ...original.snapshotAt(2) });
    expect(restored.getSnapshot().context.reader.knownGoodMarks()).toEqual(original.getKnownGoodMarks());
    // Writes with a replyTo are answered; the original does not move.
    expect(await client.rollback(1)).toBe(original.getVersion() + 1);
    expect(await client.snapshot()).toEqual({ a: 1 });
    expect(original.get('a')).toBe(2);
    // maxHistorySize came back with it.
    for (let i = 0; i < 10; i++) await client.set('n', i);
    expect((await client.history()).length).toBe(5);
    dispose();
    restored.stop();
    original.stop();
  });

  it('refuses a snapshot that is not one, with the fields named', () => {
    let failure: unknown;
    try {
      const actor = createActor(stateLogic, { snapshot: { status: 'active', format: 'other' } as unknown as Snapshot<undefined> });
      failure = actor.getSnapshot().status === 'error' ? actor.getSnapshot().error : 'no error';
    } catch (error) {
      failure = error;
    }
    expect(failure).toMatchObject({ name: 'StateValidationError' });
    expect((failure as Error).message).toMatch(/snapshot\.format/);
  });
});
