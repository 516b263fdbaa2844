/** openThreadSafeState: a state kept in a journal, reopened with its contents, version and history. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createActor, toPromise } from 'xstate';
import {
  fromAgent,
  openThreadSafeState,
  StateJournalError,
  StateLockedError,
  StateOptionsError,
  StateStoppedError,
  type DurableThreadSafeState,
} from 'concord-state';
import { nodeFs, type JournalFile, type JournalFs } from '../../src/journal/journalFs.ts';

const dirs: string[] = [];
const opened: DurableThreadSafeState<Record<string, unknown>>[] = [];
const newDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'concord-durable-'));
  dirs.push(dir);
  return dir;
};
afterEach(async () => {
  for (const state of opened.splice(0)) await state.close().catch(() => undefined);
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

type Shape = Record<string, unknown>;
async function open(dir: string, options: Partial<Parameters<typeof openThreadSafeState<Shape>>[0]> = {}): Promise<DurableThreadSafeState<Shape>> {
  const state = await openThreadSafeState<Shape>({ dir, durability: 'fsync', ...options });
  opened.push(state);
  return state;
}

/** Everything a reader can see of a state. */
const observed = (state: DurableThreadSafeState<Shape>) => ({
  version: state.getVersion(),
  snapshot: { ...state.snapshot() },
  history: state.getHistory(),
  keys: state.keys(),
});

/** Node's file operations, with every open file's fdatasync made by `datasync` (which may call the real one). */
function withDatasync(datasync: (file: JournalFile) => Promise<void>): JournalFs {
  return {
    ...nodeFs,
    open: async (path, flags) => {
      const file = await nodeFs.open(path, flags);
      return { writev: (buffers) => file.writev(buffers), sync: () => file.sync(), close: () => file.close(), datasync: () => datasync(file) };
    },
  };
}

async function writeEverything(state: DurableThreadSafeState<Shape>): Promise<void> {
  await state.set('a', 1, { changedBy: 'agent-1' });
  await state.update({ b: 'two', c: [3] }, { changedBy: 'agent-2' });
  await state.modify('a', (n) => (n as number) + 10);
  await state.delete('b');
  await state.set('when', new Date(7));
  await state.rollback(2, { changedBy: 'ops' });
  await state.set('d', { nested: new Map([['k', new Set([1n])]]) });
}

describe('openThreadSafeState', () => {
  it('reopens with the same contents, version, history, snapshots of earlier versions and rollback', async () => {
    const dir = newDir();
    const first = await open(dir);
    await writeEverything(first);
    const before = observed(first);
    const atThree = { ...first.snapshotAt(3) };
    await first.close();

    const second = await open(dir);
    expect(observed(second)).toEqual(before);
    expect({ ...second.snapshotAt(3) }).toEqual(atThree);
    expect(second.recovery).toEqual({ replayed: before.version, tornBytes: 0, droppedRecords: 0 });
    expect(await second.rollback(3)).toBe(before.version + 1);
    expect({ ...second.snapshot() }).toEqual(atThree);
    // Metrics start again at 0.
    expect(second.getMetrics().setCount).toBe(0);
  });

  it('keeps clearHistory across a reopen', async () => {
    const dir = newDir();
    const first = await open(dir);
    await first.set('a', 1);
    await first.clearHistory();
    await first.set('a', 2);
    const before = observed(first);
    await first.close();
    const second = await open(dir);
    expect(observed(second)).toEqual(before);
    await expect(second.rollback(0)).rejects.toMatchObject({ name: 'StateRollbackError' });
  });

  it('seeds a new directory with initialState, and an existing one keeps its own contents', async () => {
    const dir = newDir();
    const first = await open(dir, { initialState: { seed: 1 } });
    await first.set('x', 1);
    await first.close();
    const second = await open(dir, { initialState: { seed: 99, other: true } });
    expect({ ...second.snapshot() }).toEqual({ seed: 1, x: 1 });
    expect(second.getVersion()).toBe(1);
  });

  it('snapshots every snapshotEvery versions, and recovers from the snapshot and the records after it', async () => {
    const dir = newDir();
    const first = await open(dir, { snapshotEvery: 5, maxHistorySize: 8 });
    for (let i = 0; i < 23; i++) await first.set(`k${i % 4}`, i, { changedBy: `w${i}` });
    const before = observed(first);
    await first.close();
    const second = await open(dir, { maxHistorySize: 8 });
    expect(observed(second)).toEqual(before);
    expect(second.recovery.replayed).toBe(3);
  });

  it('lets one state hold a directory at a time, and releases it on close', async () => {
    const dir = newDir();
    const first = await open(dir);
    await expect(openThreadSafeState({ dir })).rejects.toBeInstanceOf(StateLockedError);
    await first.close();
    await expect(first.set('a', 1)).rejects.toBeInstanceOf(StateStoppedError);
    const second = await open(dir);
    expect(second.getVersion()).toBe(0);
  });

  it('makes no version on open, reopen or close', async () => {
    const dir = newDir();
    const first = await open(dir);
    await first.close();
    const second = await open(dir);
    expect(second.getVersion()).toBe(0);
    expect(second.getHistory()).toEqual([]);
  });

  it('refuses bad journal options with StateOptionsError, and unknown state options as createThreadSafeState does', async () => {
    await expect(openThreadSafeState({ dir: '' })).rejects.toBeInstanceOf(StateOptionsError);
    await expect(openThreadSafeState({ dir: newDir(), durability: 'always' as 'fsync' })).rejects.toBeInstanceOf(StateOptionsError);
    await expect(openThreadSafeState({ dir: newDir(), maxHistorySiz: 3 } as never)).rejects.toBeInstanceOf(StateOptionsError);
  });

  /** An fs whose fdatasync waits, once `gate.closed` is set, until `gate.open()`. */
  function gatedFs() {
    const gate = { closed: false, open: () => undefined as void };
    const files = withDatasync((file) =>
      gate.closed ? new Promise<void>((resolve) => (gate.open = () => void file.datasync().then(resolve))) : file.datasync(),
    );
    return { files, gate };
  }

  it("acknowledges a write only after its record's fdatasync, though readers see it at once", async () => {
    const { files, gate } = gatedFs();
    const state = await open(newDir(), { fs: files });
    gate.closed = true;
    let acknowledged = false;
    const write = state.set('a', 1).then(() => (acknowledged = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(state.get('a')).toBe(1);
    expect(acknowledged).toBe(false);
    gate.closed = false;
    gate.open();
    await write;
    expect(acknowledged).toBe(true);
  });

  it("answers an agent's write only after its record's fdatasync", async () => {
    const { files, gate } = gatedFs();
    const state = await open(newDir(), { fs: files });
    gate.closed = true;
    let acknowledged = false;
    const writer = fromAgent(async ({ state: remote }) => {
      await remote.set('a', 1);
      acknowledged = true;
    });
    const done = toPromise(createActor(writer, { input: { agentId: 'agent-1', state: state.actor } }).start());
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(state.get('a')).toBe(1);
    expect(acknowledged).toBe(false);
    gate.closed = false;
    gate.open();
    await done;
    expect(acknowledged).toBe(true);
  });

  it('rejects a write whose fdatasync fails with StateJournalError, refuses every later write unapplied, and keeps what was acknowledged', async () => {
    const dir = newDir();
    const fail = { datasync: false };
    const files = withDatasync((file) => (fail.datasync ? Promise.reject(new Error('EIO: i/o error, fdatasync')) : file.datasync()));
    const state = await open(dir, { fs: files });
    await state.set('kept', 1);
    fail.datasync = true;
    const error = await state.set('lost', 2).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StateJournalError);
    expect((error as Error).message).toContain('EIO');
    const versionAfterFailure = state.getVersion();
    await expect(state.set('later', 3)).rejects.toBeInstanceOf(StateJournalError);
    expect(state.getVersion()).toBe(versionAfterFailure);
    expect(state.has('later')).toBe(false);
    fail.datasync = false;
    await state.close();
    const reopened = await open(dir);
    expect(reopened.get('kept')).toBe(1);
  });

  it('answers an agent only once its write is in the journal, and the agent recorded as changedBy survives', async () => {
    const dir = newDir();
    const state = await open(dir);
    const writer = fromAgent(async ({ state: remote }) => remote.set('by-agent', 'yes'));
    await toPromise(createActor(writer, { input: { agentId: 'agent-7', state: state.actor } }).start());
    await state.close();
    const reopened = await open(dir);
    expect(reopened.getHistory()[0]).toMatchObject({ key: 'by-agent', changedBy: 'agent-7', newValue: 'yes' });
  });

  it('keeps values exactly: null and undefined, Date, Map, Set, bigint, null prototypes, cycles and __proto__ keys', async () => {
    const dir = newDir();
    const state = await open(dir);
    const cyclic: Record<string, unknown> = { name: 'c' };
    cyclic.self = cyclic;
    const bare = Object.assign(Object.create(null) as object, { x: 1 });
    const protoKey = JSON.parse('{"__proto__": {"polluted": true}}') as object;
    const values = {
      nothing: null,
      missing: undefined,
      when: new Date(3),
      map: new Map([[1, 'a']]),
      set: new Set(['s']),
      big: 10n ** 30n,
      bare,
      cyclic,
      protoKey,
    };
    await state.update(values);
    await state.close();
    const reopened = await open(dir);
    const back = reopened.snapshot() as Record<string, unknown>;
    expect(Object.hasOwn(back, 'missing')).toBe(true);
    expect({ ...back }).toEqual(values);
    expect(Object.getPrototypeOf(back.bare)).toBe(null);
    expect((back.cyclic as Record<string, unknown>).self).toBe(back.cyclic);
    expect(Object.hasOwn(back.protoKey as object, '__proto__')).toBe(true);
    expect(Object.isFrozen(back.map)).toBe(true);
  });
});
