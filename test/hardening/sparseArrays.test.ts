/**
 * Issue 13, finding 3: an array with holes is a few bytes to send and up to
 * 2**32 - 1 indexes to walk. It is refused at its first hole, with
 * StateValidationError naming the key and the index, through every door (the
 * facade, a client the facade does not copy for, a schema's check, a worker,
 * a durable state), and what is accepted instead round-trips the journal.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createActor, toPromise } from 'xstate';
import { z } from 'zod';
import { connectInProcess, createThreadSafeState, openThreadSafeState, StateValidationError } from 'concord-state';
import { fromWorkerAgent } from 'concord-state/workers';

/** One item, then holes up to the longest length an array can have. */
const sparse = (): unknown[] => {
  const array: unknown[] = ['kept'];
  array.length = 2 ** 32 - 1;
  return array;
};

async function expectRefused(write: Promise<unknown>, key: string, path: readonly PropertyKey[]): Promise<void> {
  const error = await write.then(
    () => 'accepted',
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(StateValidationError);
  expect(error).toMatchObject({ key, issues: [{ path, message: expect.stringContaining('holes') }] });
}

describe('arrays with holes', () => {
  it('are refused by the facade at the first hole, nested or not, and nothing is written', async () => {
    const state = createThreadSafeState<Record<string, unknown>>();
    await expectRefused(state.set('big', sparse()), 'big', [1]);
    await expectRefused(state.set('nested', { list: [[0, sparse()]] }), 'nested', ['list', 0, 1, 1]);
    await expectRefused(state.update({ fine: 1, big: sparse() }), 'big', [1]);
    await expectRefused(
      state.modify('grown', (draft) => void ((draft as unknown[]).length = 2 ** 32 - 1), { default: ['kept'] }),
      'grown',
      [1],
    );
    expect(state.getVersion()).toBe(0);
    expect(state.keys()).toEqual([]);
    // A dense array holding undefined is data, and is kept as it is.
    await state.set('dense', [undefined, 1]);
    expect(state.get('dense')).toStrictEqual([undefined, 1]);
    state.stop();
  });

  it('are refused before a schema walks them, from a client whose values the facade never copied', async () => {
    const state = createThreadSafeState({ schema: z.object({ list: z.array(z.string()) }) });
    const { client, dispose } = connectInProcess(state.actor, { agentId: 'raw' });
    await expectRefused(client.set('list', sparse()), 'list', [1]);
    expect(state.getVersion()).toBe(0);
    dispose();
    state.stop();
  });

  it('are refused when a worker sends one, and the state stays as it was', { timeout: 30_000 }, async () => {
    const state = createThreadSafeState<Record<string, unknown>>();
    const writer = fromWorkerAgent<unknown, { agentId: string; state: never }>(new URL('./fixtures/sparseWriter.worker.ts', import.meta.url));
    const output = await toPromise(createActor(writer, { input: { agentId: 'sparse', state: state.actor as never } }).start());
    expect(output).toMatchObject({ name: 'StateValidationError', key: 'big', issues: [{ path: [1] }] });
    expect(state.getVersion()).toBe(0);
    state.stop();
  });

  it('are refused by a durable state too, and what it accepts comes back from the journal exactly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'concord-holes-'));
    try {
      const first = await openThreadSafeState<Record<string, unknown>>({ dir, durability: 'none' });
      await expectRefused(first.set('big', sparse()), 'big', [1]);
      const value = { dense: [undefined, null, 1], nested: [[undefined], []] };
      await first.set('value', value);
      await first.close();
      const second = await openThreadSafeState<Record<string, unknown>>({ dir, durability: 'none' });
      expect(second.getVersion()).toBe(1);
      expect(second.get('value')).toStrictEqual(value);
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
