import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createActor, toPromise } from 'xstate';
import { createThreadSafeState, fromAgent, openThreadSafeState, StateKeyConflictError, StateValidationError } from 'concord-state';

type Shape = Record<string, unknown>;

describe('per-key versions on a local state', () => {
  it('keyVersion is the version of the key’s last write, a delete included; 0 for a key never written', async () => {
    const state = createThreadSafeState<Shape>({ initialState: { seeded: 1 } });
    expect(state.keyVersion('seeded')).toBe(0);
    expect(state.keyVersion('never')).toBe(0);
    await state.set('a', 1); // v1
    await state.update({ b: 2, c: 3 }); // v2
    await state.set('a', 4); // v3
    await state.delete('b'); // v4
    expect([state.keyVersion('a'), state.keyVersion('b'), state.keyVersion('c')]).toEqual([3, 4, 2]);
    await state.rollback(2); // v5: a and b change back
    expect([state.keyVersion('a'), state.keyVersion('b'), state.keyVersion('c')]).toEqual([5, 5, 2]);
    state.stop();
  });

  it('expectedKeyVersion is a compare-and-swap on that key alone: writes to other keys do not conflict', async () => {
    const state = createThreadSafeState<Shape>();
    await state.set('mine', 1);
    const read = state.keyVersion('mine');
    await state.set('theirs', 'x'); // moves the global version, not mine's
    await expect(state.set('mine', 2, { expectedKeyVersion: read })).resolves.toBe(3);
    const before = { snapshot: state.snapshot(), history: state.getHistory() };
    const stale = state.set('mine', 3, { expectedKeyVersion: read });
    await expect(stale).rejects.toBeInstanceOf(StateKeyConflictError);
    await expect(stale).rejects.toMatchObject({ key: 'mine', expectedVersion: 1, actualVersion: 3 });
    await expect(state.delete('mine', { expectedKeyVersion: 1 })).rejects.toBeInstanceOf(StateKeyConflictError);
    let ran = false;
    await expect(state.modify('mine', () => void (ran = true), { expectedKeyVersion: 1 })).rejects.toBeInstanceOf(StateKeyConflictError);
    expect(ran).toBe(false);
    await expect(state.update({ mine: 9, theirs: 9 }, { expectedKeyVersions: { mine: 3, theirs: 1 } })).rejects.toBeInstanceOf(StateKeyConflictError);
    expect({ snapshot: state.snapshot(), history: state.getHistory() }).toEqual(before);
    await expect(state.update({ mine: 9, theirs: 9 }, { expectedKeyVersions: { mine: 3, theirs: 2 } })).resolves.toBe(4);
    state.stop();
  });

  it('refuses a key version option where it does not belong, or of the wrong shape', async () => {
    const state = createThreadSafeState<Shape>();
    await expect(state.clear({ expectedKeyVersion: 0 } as never)).rejects.toBeInstanceOf(StateValidationError);
    await expect(state.set('a', 1, { expectedKeyVersion: -1 })).rejects.toBeInstanceOf(StateValidationError);
    await expect(state.update({ a: 1 }, { expectedKeyVersions: { a: 1.5 } })).rejects.toBeInstanceOf(StateValidationError);
    expect(state.getVersion()).toBe(0);
    state.stop();
  });

  it('agents read key versions and write against them through the protocol', async () => {
    const state = createThreadSafeState<Shape>({ initialState: { counter: 0 } });
    const agent = fromAgent(async ({ state: client }) => {
      const version = await client.keyVersion('counter');
      await client.set('other', 1);
      await client.set('counter', 1, { expectedKeyVersion: version });
      return client.set('counter', 2, { expectedKeyVersion: version }).catch((error: unknown) => (error as Error).name);
    });
    const output = await toPromise(createActor(agent, { input: { agentId: 'cas', state: state.forAgent('cas').actor } }).start());
    expect(output).toBe('StateKeyConflictError');
    expect(state.get('counter')).toBe(1);
    state.stop();
  });

  it('a durable state keeps key versions across a restart, from its snapshot and from its records', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'concord-keyversions-'));
    try {
      const first = await openThreadSafeState<Shape>({ dir, durability: 'fsync', snapshotEvery: 3 });
      await first.set('stable', 'v1'); // written once, before every snapshot
      for (let i = 2; i <= 8; i++) await first.set(i % 2 === 0 ? 'even' : 'odd', i);
      await first.delete('even');
      const read = (state: typeof first) => ({ stable: state.keyVersion('stable'), odd: state.keyVersion('odd'), even: state.keyVersion('even') });
      const expected = read(first);
      await first.close();
      const second = await openThreadSafeState<Shape>({ dir });
      expect(read(second)).toEqual(expected);
      expect(expected).toEqual({ stable: 1, odd: 7, even: 9 });
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
