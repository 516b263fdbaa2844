/** The recording a local inspector makes of shared states: versions, change records, snapshots, save and load. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { InspectionEvent } from 'xstate';
import { createThreadSafeState, type ThreadSafeState } from 'concord-state';
import { BRIEF, createLocalInspector, loadRecording, toReadable, type LocalInspector } from 'concord-state/inspect';
import { modelFromRecording } from '../../src/inspect/page/model.js';

let local: LocalInspector | undefined;
afterEach(async () => {
  await local?.close();
  local = undefined;
});

/** Each key of the state's own snapshot at `version`, made readable the way the recorder does it. */
const expectedSnapshot = (state: ThreadSafeState<Record<string, unknown>>, version: number) => {
  const snapshot = state.snapshotAt(version);
  return Object.fromEntries(Object.keys(snapshot).map((key) => [key, toReadable(snapshot[key])]));
};

/** A run with every kind of write, and values JSON cannot carry as they are. */
async function busyState(inspector: LocalInspector) {
  const state = createThreadSafeState<Record<string, unknown>>({ inspect: inspector.inspector, initialState: { phase: 'init' } });
  await state.set('counter', 1, { changedBy: 'agent-1' });
  await state.update({ tags: new Set(['a', 'b']), owners: new Map([['x', { since: new Date(0) }]]) }, { changedBy: 'agent-2' });
  await state.modify('counter', (n) => (n as number) + 1, { changedBy: 'agent-1' });
  await state.set('big', 10n ** 20n);
  await state.set('nothing', undefined);
  await state.set('__proto__', { sneaky: true }, { changedBy: 'agent-3' });
  const cyclic: Record<string, unknown> = { name: 'loop' };
  cyclic.self = cyclic;
  await state.set('cyclic', cyclic);
  await state.delete('tags', { changedBy: 'agent-2' });
  await state.rollback(3, { changedBy: 'supervisor' });
  await state.clear({ changedBy: 'supervisor' });
  await state.set('phase', 'done');
  return state;
}

describe('the local inspector recording', () => {
  it('records each attached state: one version per write, each with its change records and the snapshot snapshotAt returns', async () => {
    local = await createLocalInspector();
    const state = await busyState(local);
    const other = createThreadSafeState<Record<string, unknown>>({ inspect: local.inspector });
    await other.set('solo', true);

    const model = modelFromRecording(local.recording());
    expect([...model.states.keys()]).toEqual([state.actor.sessionId, other.actor.sessionId]);
    const timeline = model.states.get(state.actor.sessionId);
    expect(timeline?.versions.map((v) => v.version)).toEqual(Array.from({ length: state.getVersion() + 1 }, (_, v) => v));
    for (const version of timeline?.versions ?? []) {
      expect(version.snapshot, `snapshot at v${version.version}`).toEqual(expectedSnapshot(state, version.version));
      const records = state
        .getHistory()
        .filter((record) => record.version === version.version)
        .reverse();
      expect(version.records.map(({ key, operation, changedBy }) => ({ key, operation, changedBy }))).toEqual(
        records.map(({ key, operation, changedBy }) => ({ key, operation, changedBy })),
      );
    }
    expect(timeline?.byVersion.get(6)?.changedKeys).toEqual(new Set(['__proto__']));
    expect(model.states.get(other.actor.sessionId)?.versions.at(-1)?.snapshot).toEqual({ solo: true });
  });

  it('keeps values readable: tags for what JSON cannot carry, the cycle cut, old -> new in each record', async () => {
    local = await createLocalInspector();
    const state = await busyState(local);
    const records =
      modelFromRecording(local.recording())
        .states.get(state.actor.sessionId)
        ?.versions.flatMap((v) => v.records) ?? [];
    const newValueOf = (key: string) => records.find((record) => record.key === key)?.newValue;
    expect(newValueOf('big')).toEqual({ $type: 'bigint', value: '100000000000000000000' });
    expect(newValueOf('nothing')).toEqual({ $type: 'undefined' });
    expect(newValueOf('tags')).toEqual({ $type: 'Set', values: ['a', 'b'] });
    expect(newValueOf('owners')).toEqual({ $type: 'Map', entries: [['x', { since: { $type: 'Date', value: '1970-01-01T00:00:00.000Z' } }]] });
    expect(newValueOf('cyclic')).toEqual({ name: 'loop', self: { $type: 'circular' } });
    expect(records.find((record) => record.operation === 'set' && record.key === 'counter' && record.version === 3)).toMatchObject({
      oldValue: 1,
      newValue: 2,
      changedBy: 'agent-1',
    });
  });

  it('keeps a list pushed onto 3,000 times cheap: its whole value once per version, the records trimmed', { timeout: 30_000 }, async () => {
    local = await createLocalInspector();
    const state = createThreadSafeState<Record<string, unknown>>({ inspect: local.inspector, initialState: { list: [] } });
    for (let n = 0; n < 3000; n++) await state.modify('list', (list) => [...(list as number[]), n]);

    const versions = local.recording().entries.filter((entry) => entry.kind === 'version');
    expect(versions).toHaveLength(3000);
    const last = versions.at(-1);
    expect(last?.changed).toEqual({ list: toReadable(state.get('list')) });
    expect(last?.records[0]?.newValue).toEqual(toReadable(state.get('list'), BRIEF));
    expect(Math.max(...versions.map((entry) => JSON.stringify(entry.records).length))).toBeLessThan(2000);
    const model = modelFromRecording(local.recording());
    expect(model.states.get(state.actor.sessionId)?.versions.at(-1)?.snapshot).toEqual(expectedSnapshot(state, state.getVersion()));
  });

  it('saves a recording that loads back the same, and folds to the same snapshots without the state', async () => {
    local = await createLocalInspector();
    const state = await busyState(local);
    const path = join(mkdtempSync(join(tmpdir(), 'concord-inspect-')), 'run.json');
    await local.save(path);

    const loaded = await loadRecording(path);
    expect(loaded).toEqual(local.recording());
    const timeline = modelFromRecording(loaded).states.get(state.actor.sessionId);
    expect(timeline?.versions).toHaveLength(state.getVersion() + 1);
    for (const version of timeline?.versions ?? []) expect(version.snapshot).toEqual(expectedSnapshot(state, version.version));
  });

  it('meets a state that already has history: the versions still in its window, each with its snapshot', async () => {
    local = await createLocalInspector();
    const state = createThreadSafeState<Record<string, unknown>>({ maxHistorySize: 3 });
    for (let n = 1; n <= 6; n++) await state.set(`k${n % 2}`, n, { changedBy: `agent-${n}` });
    const readable = Array.from({ length: 7 }, (_, v) => v).filter((v) => {
      try {
        return state.snapshotAt(v) !== undefined;
      } catch {
        return false;
      }
    });
    const expected = new Map(readable.map((v) => [v, expectedSnapshot(state, v)]));
    local.inspector.attachState(state);
    await state.set('after', true);
    expected.set(7, expectedSnapshot(state, 7));

    const timeline = modelFromRecording(local.recording()).states.get(state.actor.sessionId);
    expect(readable[0]).toBeGreaterThan(0);
    expect(timeline?.baseVersion).toBe(readable[0]);
    expect(timeline?.versions.map((v) => v.version)).toEqual([...expected.keys()]);
    for (const version of timeline?.versions ?? []) expect(version.snapshot).toEqual(expected.get(version.version));
  });

  it('follows a state once, however often it is attached (by its constructor, then by each pipeline run on it)', async () => {
    local = await createLocalInspector();
    const state = createThreadSafeState<Record<string, unknown>>({ inspect: local.inspector });
    local.inspector.attachState(state);
    local.inspector.attachState(state);
    await state.set('a', 1);
    await state.set('a', 2);

    const entries = local.recording().entries;
    expect(entries.filter((entry) => entry.kind === 'state')).toHaveLength(1);
    expect(entries.filter((entry) => entry.kind === 'version').map((entry) => entry.version)).toEqual([1, 2]);
  });

  it('lets go of a state once its actor has stopped, without waiting for close()', async () => {
    local = await createLocalInspector();
    const state = createThreadSafeState<Record<string, unknown>>();
    let following = 0;
    const watched = {
      actor: state.actor,
      getVersion: () => state.getVersion(),
      getHistory: () => state.getHistory(),
      snapshotAt: (version: number) => state.snapshotAt(version),
      subscribe: (listener: Parameters<typeof state.subscribe>[0]) => {
        following += 1;
        const unsubscribe = state.subscribe(listener);
        return () => {
          following -= 1;
          unsubscribe();
        };
      },
    } as unknown as ThreadSafeState<Record<string, unknown>>;
    local.inspector.attachState(watched);
    await state.set('a', 1);
    expect(following).toBe(1);
    state.actor.stop();
    expect(following).toBe(0);
  });

  it('records beside each version the origin a state offers with originOf, checked, and none for a state without one', async () => {
    local = await createLocalInspector();
    const plain = createThreadSafeState<Record<string, unknown>>({ inspect: local.inspector });
    await plain.set('a', 1);
    const state = createThreadSafeState<Record<string, unknown>>({ maxHistorySize: 4 });
    await state.set('before', 1, { changedBy: 'early' });
    // What a replicated state adds: the origin of each version it holds; this one answers junk for version 3 and throws for 4.
    const origins = new Map<number, unknown>([
      [1, { id: 'p1', label: 'box-a:1' }],
      [2, { id: 'p2', label: 'box-b:2', extra: 'dropped' }],
      [3, { id: 'p3' }],
    ]);
    const replicated = {
      actor: state.actor,
      getVersion: () => state.getVersion(),
      getHistory: () => state.getHistory(),
      snapshotAt: (version: number) => state.snapshotAt(version),
      subscribe: (listener: Parameters<typeof state.subscribe>[0]) => state.subscribe(listener),
      originOf(version: number) {
        if (version === 4) throw new Error('no origin here');
        return origins.get(version);
      },
    } as unknown as ThreadSafeState<Record<string, unknown>>;
    local.inspector.attachState(replicated);
    for (let n = 2; n <= 4; n++) await state.set('k', n);

    const versions = local.recording().entries.flatMap((entry) => (entry.kind === 'version' ? [entry] : []));
    expect(versions.filter((entry) => entry.stateId === plain.actor.sessionId).map((entry) => 'origin' in entry)).toEqual([false]);
    expect(versions.filter((entry) => entry.stateId === state.actor.sessionId).map(({ version, origin }) => ({ version, origin }))).toEqual([
      { version: 1, origin: { id: 'p1', label: 'box-a:1' } },
      { version: 2, origin: { id: 'p2', label: 'box-b:2' } },
      { version: 3, origin: undefined },
      { version: 4, origin: undefined },
    ]);
    const path = join(mkdtempSync(join(tmpdir(), 'concord-inspect-')), 'run.json');
    await local.save(path);
    expect(await loadRecording(path)).toEqual(local.recording());
    const timeline = modelFromRecording(local.recording()).states.get(state.actor.sessionId);
    expect(timeline?.versions.map((version) => version.origin?.label ?? null)).toEqual([null, 'box-a:1', 'box-b:2', null, null]);
  });

  it('records the state actor and the commands it receives, in order', async () => {
    local = await createLocalInspector();
    const state = createThreadSafeState<Record<string, unknown>>({ inspect: local.inspector });
    await state.set('a', 1);
    await state.delete('a');

    const model = modelFromRecording(local.recording());
    const actor = model.actors.get(state.actor.sessionId);
    expect(actor).toMatchObject({ systemId: 'state', status: 'active' });
    expect(model.events.filter((event) => event.targetId === state.actor.sessionId).map((event) => event.type)).toEqual([
      'xstate.init',
      'state.set',
      'state.delete',
    ]);
  });

  it('falls back on the change records for a version whose snapshot can no longer be read', async () => {
    local = await createLocalInspector();
    const state = createThreadSafeState<Record<string, unknown>>({ initialState: { kept: 1, gone: 2 } });
    // The same state, but its snapshot at version 2 has already left the window when the inspector asks.
    const forgetful = {
      actor: state.actor,
      getVersion: () => state.getVersion(),
      getHistory: () => state.getHistory(),
      subscribe: (listener: Parameters<typeof state.subscribe>[0]) => state.subscribe(listener),
      snapshotAt: (version: number) => {
        if (version === 2) throw new Error('out of the window');
        return state.snapshotAt(version);
      },
    } as unknown as ThreadSafeState<Record<string, unknown>>;
    local.inspector.attachState(forgetful);
    await state.set('kept', 10);
    await state.update({ added: 'a', kept: 11 });
    await state.delete('gone');
    await state.set('last', true);

    const timeline = modelFromRecording(local.recording()).states.get(state.actor.sessionId);
    for (const version of timeline?.versions ?? []) expect(version.snapshot, `v${version.version}`).toEqual(expectedSnapshot(state, version.version));
  });

  it('never throws back into XState, whatever the inspection event holds', async () => {
    local = await createLocalInspector();
    const reported = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const hostile = new Proxy(
      {},
      {
        get: () => {
          throw new Error('no touching');
        },
      },
    );
    const inspect = local.inspector.inspect;
    const send = (event: unknown) => (typeof inspect === 'function' ? inspect(event as InspectionEvent) : inspect.next?.(event as InspectionEvent));
    expect(() => send({ type: '@xstate.event', actorRef: hostile, sourceRef: undefined, event: { type: 'x' }, rootId: 'x:0' })).not.toThrow();
    expect(reported).toHaveBeenCalledWith('Concord inspector: could not record an inspection event:', expect.any(Error));
    reported.mockRestore();
  });

  it('loads only what is a recording, saying what is wrong with the rest', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'concord-inspect-')), 'notes.json');
    writeFileSync(path, JSON.stringify({ format: 'concord-inspection', formatVersion: 1, startedAt: 0, entries: [{ kind: 'event', seq: 0 }] }));
    await expect(loadRecording(path)).rejects.toThrow(/notes\.json is not a Concord inspection recording: entries\.0\.at: /);
    const version = { kind: 'version', seq: 0, at: 0, stateId: 's', version: 1, records: [], changed: {}, removed: [] };
    writeFileSync(path, JSON.stringify({ format: 'concord-inspection', formatVersion: 1, startedAt: 0, entries: [{ ...version, origin: { id: 'p1' } }] }));
    await expect(loadRecording(path)).rejects.toThrow(/entries\.0\.origin\.label: /);
    // A recording made before versions carried an origin loads as it is.
    writeFileSync(path, JSON.stringify({ format: 'concord-inspection', formatVersion: 1, startedAt: 0, entries: [version] }));
    expect((await loadRecording(path)).entries).toEqual([version]);
  });

  it('folds, as the page does, only recordings whose entries it can draw: a damaged entry is named, an unknown kind skipped', () => {
    const recording = (entries: unknown[]) => ({ format: 'concord-inspection', formatVersion: 1, startedAt: 0, entries });
    const event = { kind: 'event', seq: 0, at: 0, sourceId: null, targetId: 'x:0', type: 'go', event: { type: 'go' } };
    expect(() => modelFromRecording(recording([{ ...event, type: 5 }]))).toThrow('entry 0 (event): type should be a string, received 5');
    expect(() =>
      modelFromRecording(recording([event, { kind: 'version', seq: 1, at: 1, stateId: 's', version: 1, records: [{}], changed: {}, removed: [] }])),
    ).toThrow(/entry 1 \(version\): records/);
    expect(() => modelFromRecording(recording([null]))).toThrow('entry 0 is not an entry');
    expect(modelFromRecording(recording([event, { kind: '__proto__', seq: 1, at: 1 }, { kind: 'toString', seq: 2, at: 2 }])).entries).toHaveLength(3);
  });

  it('refuses a port that is not one', async () => {
    await expect(createLocalInspector({ port: 70_000 })).rejects.toThrow(/port must be an integer from 0/);
  });
});
