/**
 * Which process made each version (issue 15): every entry carries its
 * replica's label beside its origin id, every replica keeps the origin of
 * each version in its history window, in its snapshots too, and answers
 * `originOf` the same, one joining later or reloaded from a snapshot
 * included; the local inspector records it beside each version.
 */
import { mkdtempSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StateOptionsError } from 'concord-state';
import { createLocalInspector, loadRecording, type ConcordInspector, type VersionEntry } from 'concord-state/inspect';
import { connectThreadSafeState, type ReplicatedThreadSafeState } from 'concord-state/redis';
import { modelFromRecording } from '../../src/inspect/page/model.js';
// An entry and a snapshot as another program (or a Concord before origins) writes them: the stored formats, which nothing public writes.
import { decodeReplicaSnapshot } from '../../src/redis/replicaSnapshot.ts';
import { encodeProposal, entryFields } from '../../src/redis/streamEntry.ts';
import { encodeValue } from '../../src/values/codec.ts';
import { pausableProxy } from './support/pausableProxy.ts';
import { testRedis, uniqueName, type TestRedis } from './support/redisServer.ts';

type Shape = Record<string, unknown>;
type State = ReplicatedThreadSafeState<Shape>;
interface ReplicaOptions {
  label?: string;
  url?: string;
  snapshotEvery?: number;
  maxHistorySize?: number;
  inspect?: ConcordInspector;
}

let redis: TestRedis;
let raw: Redis;
const opened: State[] = [];

beforeAll(async () => {
  redis = await testRedis();
  raw = new Redis(redis.url);
});
afterAll(async () => {
  await Promise.all(opened.map((state) => state.close()));
  raw.disconnect();
  await redis.dispose();
});

async function replica(name: string, { url = redis.url, ...options }: ReplicaOptions = {}): Promise<State> {
  const state = await connectThreadSafeState<Shape>({ url, name, ...options });
  opened.push(state);
  return state;
}

/** What the replica answers for every version from 0 to one past its last. */
const originsOn = (state: State) => Array.from({ length: state.getVersion() + 2 }, (_, version) => state.originOf(version));

/** The versions the history window holds, oldest first. */
const windowOf = (state: State) => [...new Set(state.getHistory().map((record) => record.version))].reverse();

/** Each version's writer, as the tests name them: changedBy is the writing replica's label. */
const writerOf = (state: State, version: number) => state.getHistory().find((record) => record.version === version)?.changedBy;

const versionEntries = (entries: readonly { kind: string }[]) => entries.filter((entry): entry is VersionEntry => entry.kind === 'version');

describe('originOf', () => {
  it('names the replica whose entry made each version, by its id and label, the same on every replica', async () => {
    const name = uniqueName('origins');
    const [alpha, beta] = [await replica(name, { label: 'alpha' }), await replica(name, { label: 'beta' })];
    for (let i = 0; i < 4; i++) {
      await alpha.set('counter', i, { changedBy: 'alpha' });
      await beta.modify('counter', (n) => (n as number) + 1, { changedBy: 'beta' });
    }
    // Together, in whatever order the stream takes them.
    await Promise.all([
      alpha.update({ note: 'a', tag: 1 }, { changedBy: 'alpha' }),
      beta.set('note', 'b', { changedBy: 'beta' }),
      alpha.delete('counter', { changedBy: 'alpha' }),
    ]);
    await beta.rollback(3, { changedBy: 'beta' });
    await beta.markKnownGood('no version of its own');
    await Promise.all([alpha.sync(), beta.sync()]);

    const expected = { alpha: { id: alpha.origin, label: 'alpha' }, beta: { id: beta.origin, label: 'beta' } };
    expect(alpha.getVersion()).toBe(12);
    for (let version = 1; version <= alpha.getVersion(); version++) {
      expect(alpha.originOf(version), `v${version}`).toEqual(expected[writerOf(alpha, version) as 'alpha' | 'beta']);
    }
    expect(alpha.originOf(0)).toBeUndefined();
    expect(alpha.originOf(alpha.getVersion() + 1)).toBeUndefined();
    expect(originsOn(beta)).toEqual(originsOn(alpha));
  });

  it('labels a replica given no label with its host name and pid, and an entry carrying no label with its origin id', async () => {
    const name = uniqueName('origins-default');
    const plain = await replica(name);
    await plain.set('note', 'one');
    const stream = `concord:{${name}}:stream`;
    const payload = encodeProposal({ write: { type: 'set', key: 'note', value: 'two' }, timestamp: 0, changedBy: null });
    await raw.xadd(stream, '*', ...entryFields({ origin: 'older-replica', watermark: 1 }, [{ requestId: 1, payload }]));
    await plain.sync();
    expect(plain.originOf(1)).toEqual({ id: plain.origin, label: `${hostname()}:${process.pid}` });
    expect(plain.originOf(2)).toEqual({ id: 'older-replica', label: 'older-replica' });
  });

  it('refuses a label that is not a non-empty string of at most 256 characters', async () => {
    for (const label of ['', 'x'.repeat(257), 42]) {
      const refused = await connectThreadSafeState({ url: redis.url, name: uniqueName('origins-label'), label: label as string }).catch(
        (error: unknown) => error,
      );
      expect(refused, JSON.stringify(label)).toBeInstanceOf(StateOptionsError);
      expect((refused as StateOptionsError).message).toContain('label must be');
    }
  });

  it('keeps the origins of the versions its history window holds, at most maxHistorySize, and drops them with the history', async () => {
    const name = uniqueName('origins-window');
    const [alpha, beta] = [await replica(name, { label: 'alpha', maxHistorySize: 5 }), await replica(name, { label: 'beta', maxHistorySize: 5 })];
    for (let i = 0; i < 6; i++) {
      await alpha.set('a', i, { changedBy: 'alpha' });
      await beta.set('b', i, { changedBy: 'beta' });
    }
    await Promise.all([alpha.sync(), beta.sync()]);
    const window = windowOf(alpha);
    expect(window).toEqual([8, 9, 10, 11, 12]);
    const known = originsOn(alpha).flatMap((origin, version) => (origin === undefined ? [] : [version]));
    expect(known).toEqual(window);
    expect(originsOn(beta)).toEqual(originsOn(alpha));

    await alpha.clearHistory();
    await beta.sync();
    expect(originsOn(alpha).filter((origin) => origin !== undefined)).toEqual([]);
    expect(originsOn(beta)).toEqual(originsOn(alpha));
    const next = await beta.set('b', 'after', { changedBy: 'beta' });
    await alpha.sync();
    expect(alpha.originOf(next)).toEqual({ id: beta.origin, label: 'beta' });
  });

  it('answers the same on a replica joining after the stream was trimmed, for every version in its window', { timeout: 60_000 }, async () => {
    const name = uniqueName('origins-join');
    const options = { snapshotEvery: 20, maxHistorySize: 30 };
    const [alpha, beta] = [await replica(name, { ...options, label: 'alpha' }), await replica(name, { ...options, label: 'beta' })];
    for (let round = 0; round < 10; round++) {
      await Promise.all(
        Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? alpha : beta).set(`key-${i % 4}`, round * 10 + i, { changedBy: i % 2 === 0 ? 'alpha' : 'beta' })),
      );
    }
    await Promise.all([alpha.sync(), beta.sync()]);
    expect(await raw.xlen(`concord:{${name}}:stream`)).toBeLessThan(100);

    const late = await replica(name, { ...options, label: 'late' });
    await late.sync();
    const window = windowOf(late);
    expect(window).toHaveLength(30);
    expect(window).toEqual(windowOf(alpha));
    for (const version of window) {
      const writer = writerOf(late, version) as 'alpha' | 'beta';
      expect(late.originOf(version), `v${version}`).toEqual({ id: (writer === 'alpha' ? alpha : beta).origin, label: writer });
    }
    expect(originsOn(late)).toEqual(originsOn(alpha));
    expect(originsOn(beta)).toEqual(originsOn(alpha));
  });

  it('loads a snapshot published before origins were kept: its versions answer none, the tail after it does', async () => {
    const name = uniqueName('origins-old-snapshot');
    const alpha = await replica(name, { label: 'alpha', snapshotEvery: 2 });
    await alpha.set('a', 1, { changedBy: 'alpha' });
    await alpha.set('a', 2, { changedBy: 'alpha' });
    const key = `concord:{${name}}:snapshot`;
    await expect.poll(async () => decodeReplicaSnapshot((await raw.getBuffer(key)) ?? Buffer.alloc(0)).position).toBe(2);
    const { origins: _dropped, ...older } = decodeReplicaSnapshot((await raw.getBuffer(key)) ?? Buffer.alloc(0));
    await raw.set(key, encodeValue(older));
    await alpha.set('a', 3, { changedBy: 'alpha' });

    const late = await replica(name, { label: 'late', snapshotEvery: 2 });
    await late.sync();
    expect(late.get('a')).toBe(3);
    expect(originsOn(late)).toEqual([undefined, undefined, undefined, { id: alpha.origin, label: 'alpha' }, undefined]);
  });
});

describe('the local inspector on a replicated state', () => {
  it('records beside each version the origin of the write that made it, in the recording saved and loaded too', async () => {
    const local = await createLocalInspector();
    try {
      const name = uniqueName('origins-inspected');
      const alpha = await replica(name, { label: 'alpha', inspect: local.inspector });
      const beta = await replica(name, { label: 'beta' });
      for (let i = 0; i < 3; i++) {
        await alpha.set('phase', `alpha ${i}`, { changedBy: 'alpha' });
        await beta.set('phase', `beta ${i}`, { changedBy: 'beta' });
      }
      await alpha.sync();
      const recorded = versionEntries(local.recording().entries);
      expect(recorded.map((entry) => entry.version)).toEqual([1, 2, 3, 4, 5, 6]);
      for (const entry of recorded) {
        const writer = entry.records[0]?.changedBy as 'alpha' | 'beta';
        expect(entry.origin, `v${entry.version}`).toEqual({ id: (writer === 'alpha' ? alpha : beta).origin, label: writer });
      }

      const file = join(mkdtempSync(join(tmpdir(), 'concord-origins-')), 'run.json');
      await local.save(file);
      const loaded = await loadRecording(file);
      expect(versionEntries(loaded.entries).map((entry) => entry.origin)).toEqual(recorded.map((entry) => entry.origin));
      const timeline = modelFromRecording(loaded).states.get(alpha.actor.sessionId);
      expect(timeline?.versions.map((version) => version.origin?.label ?? null)).toEqual([null, 'alpha', 'beta', 'alpha', 'beta', 'alpha', 'beta']);
    } finally {
      await local.close();
    }
  });

  it('goes on recording origins once its replica is replaced by a snapshot, having fallen behind the trimmed stream', { timeout: 30_000 }, async () => {
    const proxy = await pausableProxy(redis.port);
    const local = await createLocalInspector();
    try {
      const name = uniqueName('origins-reload');
      const options = { snapshotEvery: 5, maxHistorySize: 50 };
      const alpha = await replica(name, { ...options, label: 'alpha' });
      const beta = await replica(name, { ...options, label: 'beta', url: proxy.url, inspect: local.inspector });
      await beta.set('k', 'beta first', { changedBy: 'beta' });
      await alpha.set('k', 'alpha first', { changedBy: 'alpha' });
      await beta.sync();
      const before = beta.actor;

      // Beta stands still while alpha publishes snapshots past it, the stream trimmed below the one before the newest.
      proxy.pause();
      for (let i = 0; i < 20; i++) await alpha.set('k', i, { changedBy: 'alpha' });
      proxy.resume();
      await beta.sync();
      expect(beta.actor).not.toBe(before);
      const last = await beta.set('k', 'beta after', { changedBy: 'beta' });
      await alpha.sync();
      expect(originsOn(beta)).toEqual(originsOn(alpha));
      expect(beta.originOf(last)).toEqual({ id: beta.origin, label: 'beta' });

      // A timeline per actor, as the inspector follows states: the new replica's goes on, each version with its origin.
      const recorded = versionEntries(local.recording().entries);
      expect([...new Set(recorded.map((entry) => entry.stateId))]).toEqual([before.sessionId, beta.actor.sessionId]);
      for (const entry of recorded) expect(entry.origin, `v${entry.version}`).toEqual(alpha.originOf(entry.version));
      const after = recorded.filter((entry) => entry.stateId === beta.actor.sessionId);
      // Its whole window once, from its snapshot, then its own write: nothing twice, nothing the replaced one recorded after it went.
      expect(after.map((entry) => entry.version)).toEqual(Array.from({ length: last }, (_, index) => index + 1));
      expect(after.at(-1)?.origin).toEqual({ id: beta.origin, label: 'beta' });
      expect(after.map((entry) => entry.origin?.label)).toContain('alpha');
    } finally {
      // Closed before the proxy beta talks through.
      await Promise.all(opened.splice(0).map((state) => state.close()));
      await local.close();
      await proxy.close();
    }
  });
});
