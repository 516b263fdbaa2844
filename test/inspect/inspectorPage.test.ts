/**
 * The inspector page in a real browser (Debian's chromium, driven by
 * playwright-core), on the code-generation example:
 *
 * - in this process, with the runner's own pieces (createLocalInspector,
 *   setAmbientInspector, runScript), so the page can be checked against the
 *   live state's own getVersion() and snapshotAt(version);
 * - as `npm run inspect` runs it (src/inspect/cli.ts in a child process),
 *   served until Ctrl-C, which saves the recording.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createThreadSafeState, type ThreadSafeState } from 'concord-state';
import { createLocalInspector, loadRecording, setAmbientInspector, toReadable } from 'concord-state/inspect';
import { modelFromRecording, stateValueText } from '../../src/inspect/page/model.js';
import { runScript } from '../../src/inspect/runScript.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const example = join(root, 'examples', 'codegen-workflow.ts');
const screenshot = join(root, 'test', 'output', 'inspector.png');
const stages = ['parse', 'models', 'validators', 'tests'];
const contracts = ['Order', 'Product', 'User'];

type AnyState = ThreadSafeState<Record<string, unknown>>;

let browser: Browser;
beforeAll(async () => {
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
}, 60_000);
afterAll(async () => {
  await browser?.close();
});

/** What the pages of a test threw or reported as errors (a panel that could not be drawn, a CSP refusal): none, checked after each test. */
let pageErrors: string[] = [];
const pages: Page[] = [];
beforeEach(() => {
  pageErrors = [];
});
afterEach(async () => {
  await Promise.all(pages.splice(0).map((page) => page.close()));
  expect(pageErrors).toEqual([]);
});

async function openPage(url: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
  pages.push(page);
  page.on('pageerror', (error) => pageErrors.push(`the page threw: ${error.message}`));
  page.on('console', (message) => {
    // A feed cut when the server closes is the network's doing, not the page's.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) pageErrors.push(`the page reported: ${message.text()}`);
  });
  await page.goto(url);
  return page;
}

/** A file for the page's Load. */
const recordingFile = (name: string, entries: unknown[]) => ({
  name,
  mimeType: 'application/json',
  buffer: Buffer.from(JSON.stringify({ format: 'concord-inspection', formatVersion: 1, startedAt: 0, entries })),
});

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

const shownVersions = (page: Page) =>
  page
    .getByTestId('timeline')
    .getByTestId('version')
    .evaluateAll((ticks) => ticks.map((tick) => Number(tick.getAttribute('data-version'))));

/** Picks `version` on the timeline; returns the snapshot shown (key -> the JSON on screen) and the keys highlighted as changed. */
async function pickVersion(page: Page, version: number) {
  await page.locator(`[data-testid="timeline"] [data-testid="version"][data-version="${version}"]`).click();
  const panel = page.locator(`[data-testid="snapshot"][data-version="${version}"]`);
  await panel.waitFor();
  const rows = await panel.getByTestId('snapshot-key').evaluateAll((elements) =>
    elements.map((row) => {
      const json = row.querySelector('[data-testid="snapshot-value"]')?.textContent ?? '';
      return { key: row.getAttribute('data-key') ?? '', changed: row.getAttribute('data-changed') === 'true', json };
    }),
  );
  return {
    snapshot: Object.fromEntries(rows.map(({ key, json }) => [key, JSON.parse(json) as unknown])),
    changed: rows.filter((row) => row.changed).map((row) => row.key),
  };
}

const expectedSnapshot = (state: AnyState, version: number) => {
  const snapshot = state.snapshotAt(version);
  return Object.fromEntries(Object.keys(snapshot).map((key) => [key, toReadable(snapshot[key])]));
};

describe('the inspector page', () => {
  it(
    'shows the code-generation run live: its actors, the pipeline states, every version, and the snapshot snapshotAt returns',
    { timeout: 120_000 },
    async () => {
      const local = await createLocalInspector();
      try {
        const states: AnyState[] = [];
        const page = await openPage(local.url);
        await page.locator('[data-testid="source"]', { hasText: 'live' }).waitFor();

        const detach = setAmbientInspector({
          inspect: local.inspector.inspect,
          attachState: (state) => {
            // Attached by its constructor and again by the pipeline run on it.
            if (!states.includes(state)) states.push(state);
            local.inspector.attachState(state);
          },
        });
        const { argv, exitCode } = process;
        const work = mkdtempSync(join(tmpdir(), 'concord-inspector-page-'));
        try {
          await runScript(example, [join(work, 'out')]);
          expect(process.exitCode).toBe(0);
        } finally {
          process.argv = argv;
          process.exitCode = exitCode;
          detach();
        }
        expect(states).toHaveLength(1);
        const state = states[0] as AnyState;
        const last = state.getVersion();
        expect(last).toBeGreaterThan(20);

        // Live: the timeline fills in as the run writes; then it holds every version the state reports, and no other.
        await page.locator(`[data-testid="timeline"] [data-testid="version"][data-version="${last}"]`).waitFor();
        expect(await shownVersions(page)).toEqual(range(0, last));
        expect(await page.getByTestId('versions-count').textContent()).toBe(String(last + 1));

        // The actors: the state, the pipeline, and one agent per stage and contract, by their systemIds.
        const names = await page.getByTestId('actor').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-name')));
        expect(names).toEqual(expect.arrayContaining(['state', 'pipeline', ...stages.flatMap((stage) => contracts.map((contract) => `${stage}:${contract}`))]));
        // Each machine is shown in the state it is in, and the pipeline with the states it went through, ending completed.
        const recorded = modelFromRecording(local.recording());
        const machines = [...recorded.actors.values()].filter((actor) => actor.logic === 'machine');
        expect(machines.length).toBeGreaterThan(1);
        for (const machine of machines) {
          await expect
            .poll(() => page.locator(`[data-testid="actor"][data-session-id="${machine.sessionId}"] [data-testid="actor-value"]`).textContent())
            .toBe(stateValueText(machine.value));
        }
        const pipeline = page.locator('[data-testid="actor"][data-name="pipeline"]');
        const steps = await pipeline.getByTestId('actor-transition').allTextContents();
        const pipelineActor = machines.find((machine) => machine.machineId === 'pipeline');
        expect(steps).toEqual(pipelineActor?.transitions.map((step) => stateValueText(step.value)));
        expect(steps.at(-1)).toBe('completed');
        // The events: agents' commands to the state and its replies, in order.
        const types = await page.getByTestId('event').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-type')));
        expect(types).toEqual(expect.arrayContaining(['state.modify', 'state.reply']));
        expect(types.length).toBe(recorded.events.length);
        // Every write by the actor that sent it, the bookkeeping's by its record:<agent> actors; each one applied.
        const writes = page.locator('[data-testid="event"][data-type="state.modify"]');
        const senders = await writes.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-source')));
        expect(senders).not.toContain('outside');
        expect(senders).toEqual(expect.arrayContaining(stages.flatMap((stage) => contracts.map((contract) => `record:${stage}:${contract}`))));
        await expect
          .poll(() => writes.getByTestId('event-outcome').evaluateAll((outcomes) => outcomes.map((outcome) => outcome.getAttribute('data-ok'))))
          .toEqual(senders.map(() => 'true'));
        // An actor picked: only the events it sent or received.
        const stateActor = state.actor.sessionId;
        await page.locator(`[data-testid="actor"][data-session-id="${stateActor}"] button`).click();
        await page.locator('[data-testid="actor-filter"]', { hasText: 'state' }).waitFor();
        const involving = recorded.events.filter((event) => event.sourceId === stateActor || event.targetId === stateActor).length;
        expect(await page.getByTestId('event').count()).toBe(involving);
        expect(involving).toBeLessThan(recorded.events.length);
        await page.getByTestId('actor-filter').click();
        expect(await page.getByTestId('event').count()).toBe(recorded.events.length);

        // A version picked on the timeline: its snapshot is the state's own snapshotAt, its changed keys highlighted.
        const picked = Math.floor(last / 2);
        const shown = await pickVersion(page, picked);
        expect(shown.snapshot).toEqual(expectedSnapshot(state, picked));
        const records = state.getHistory().filter((record) => record.version === picked);
        expect(shown.changed.sort()).toEqual([...new Set(records.map((record) => record.key))].sort());
        const shownRecords = await page.getByTestId('change-record').evaluateAll((items) => items.map((item) => item.getAttribute('data-key')));
        expect(shownRecords).toEqual(records.toReversed().map((record) => record.key));
        await expect.poll(() => page.getByTestId('changed-by').first().textContent()).toBe(records[0]?.changedBy);
        mkdirSync(join(root, 'test', 'output'), { recursive: true });
        await page.screenshot({ path: screenshot });

        // Save downloads the stream; Load opens it again, post-mortem, with the same versions and snapshots.
        const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('save').click()]);
        const saved = join(work, 'saved.json');
        await download.saveAs(saved);
        const reopened = modelFromRecording(await loadRecording(saved)).states.get(state.actor.sessionId);
        expect(reopened?.versions.map((version) => version.version)).toEqual(range(0, last));

        const later = await openPage(local.url);
        await local.close();
        await later.getByTestId('load-input').setInputFiles(saved);
        await later.locator('[data-testid="source"]', { hasText: 'saved.json' }).waitFor();
        expect(await shownVersions(later)).toEqual(range(0, last));
        const early = Math.max(1, Math.floor(last / 4));
        expect((await pickVersion(later, early)).snapshot).toEqual(expectedSnapshot(state, early));
        // A file that is not a recording is refused with a message; what was loaded stays.
        await later.getByTestId('load-input').setInputFiles({ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{"notes": []}') });
        await later.locator('[data-testid="load-error"]', { hasText: 'Could not load notes.json: not a Concord inspection recording' }).waitFor();
        expect(await shownVersions(later)).toEqual(range(0, last));
      } finally {
        await local.close();
      }
    },
  );

  it('shows each command with its key, value and outcome, the state’s options, and the event that made the version picked', { timeout: 30_000 }, async () => {
    const local = await createLocalInspector();
    try {
      const state = createThreadSafeState<Record<string, unknown>>({ inspect: local.inspector, maxHistorySize: 50 });
      await state.set('counter', 1, { changedBy: 'agent-1' });
      await expect(state.set('counter', 2, { expectedVersion: 0 })).rejects.toThrow('Expected version 0');
      await state.set('name', 'x');
      const page = await openPage(local.url);
      const sets = page.locator('[data-testid="event"][data-type="state.set"]');
      await expect.poll(() => sets.count()).toBe(3);
      const summaries = await sets.locator('.summary').allTextContents();
      expect(summaries.map((summary) => /^\{(key: "\w+", value: [^,]+),/.exec(summary)?.[1])).toEqual([
        'key: "counter", value: 1',
        'key: "counter", value: 2',
        'key: "name", value: "x"',
      ]);
      expect(summaries[0]).toContain('changedBy: "agent-1"');
      expect(await sets.getByTestId('event-outcome').allTextContents()).toEqual([
        'applied → v1',
        'refused: StateConflictError: Expected version 0 but the state is at version 1; re-read the state and retry, or use modify() for an atomic read-modify-write',
        'applied → v2',
      ]);
      const init = page.locator('[data-testid="event"][data-type="xstate.init"][data-target="state"] .summary');
      expect(await init.textContent()).toBe('{input: {maxHistorySize: 50, snapshotCacheSize: 16, enableSnapshots: true, initialKeys: 0}}');

      const seqs = modelFromRecording(local.recording())
        .events.filter((event) => event.type === 'state.set')
        .map((event) => String(event.seq));
      const picked = page.locator('[data-testid="event"][data-picked="true"]');
      for (const [version, seq] of [
        [1, seqs[0]],
        [2, seqs[2]],
      ] as const) {
        await pickVersion(page, version);
        await expect.poll(() => picked.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-seq')))).toEqual([seq]);
        expect(await page.getByTestId('version-event').textContent()).toBe(`event #${seq}`);
      }
      await pickVersion(page, 0);
      expect(await picked.count()).toBe(0);
    } finally {
      await local.close();
    }
  });

  it('shows a state value with a "$type" key of its own as the plain object it is', { timeout: 30_000 }, async () => {
    const local = await createLocalInspector();
    try {
      const state = createThreadSafeState<Record<string, unknown>>({ inspect: local.inspector });
      await state.set('odd', { $type: 'Set', note: 'x' });
      const page = await openPage(local.url);
      const shown = await pickVersion(page, 1);
      expect(shown.snapshot).toEqual(expectedSnapshot(state, 1));
      expect(await page.locator('[data-testid="snapshot-key"][data-key="odd"] .key-brief').textContent()).toBe('{$type: "Set", note: "x"}');

      // A recording made before such objects were wrapped: the look-alike tag reads as an object too.
      const base = {
        kind: 'state',
        seq: 0,
        at: 0,
        stateId: 's',
        version: 0,
        snapshot: { odd: { $type: 'Set', note: 'x' }, map: { $type: 'Map', entries: 3 } },
      };
      await page.getByTestId('load-input').setInputFiles(recordingFile('old.json', [base]));
      await page.locator('[data-testid="source"]', { hasText: 'old.json' }).waitFor();
      expect(await page.locator('[data-testid="snapshot-key"] .key-brief').allTextContents()).toEqual([
        '{$type: "Set", note: "x"}',
        '{$type: "Map", entries: 3}',
      ]);
    } finally {
      await local.close();
    }
  });

  it(
    'shows beside changedBy the process a replicated state’s version came from, and nothing for a version that does not say',
    { timeout: 30_000 },
    async () => {
      const local = await createLocalInspector();
      try {
        const page = await openPage(local.url);
        const version = (n: number, changedBy: string, origin?: { id: string; label: string }) => ({
          kind: 'version',
          seq: n,
          at: n,
          stateId: 's',
          version: n,
          records: [{ version: n, key: 'k', operation: 'set', oldValue: n - 1, newValue: n, existedBefore: true, existsAfter: true, changedBy, timestamp: n }],
          changed: { k: n },
          removed: [],
          ...(origin === undefined ? {} : { origin }),
        });
        const entries = [
          { kind: 'state', seq: 0, at: 0, stateId: 's', version: 0, snapshot: { k: 0 } },
          version(1, 'planner', { id: 'a1b2c3', label: 'build-box:4242' }),
          // A recording made before origins were, or of a local state.
          version(2, 'planner'),
        ];
        await page.getByTestId('load-input').setInputFiles(recordingFile('replicated.json', entries));
        await page.locator('[data-testid="source"]', { hasText: 'replicated.json' }).waitFor();
        await pickVersion(page, 1);
        const origin = page.getByTestId('version-origin');
        expect(await origin.textContent()).toBe('from build-box:4242');
        expect(await origin.getAttribute('title')).toBe('replica a1b2c3');
        expect(await page.locator('.version-head .chip.by + [data-testid="version-origin"]').count()).toBe(1);
        expect(await page.locator('[data-testid="version"][data-version="1"]').getAttribute('title')).toContain('by planner from build-box:4242 at');
        await pickVersion(page, 2);
        expect(await origin.count()).toBe(0);

        await page.getByTestId('load-input').setInputFiles(recordingFile('odd.json', [entries[0], { ...entries[1], origin: { id: 'a1b2c3' } }]));
        await page
          .locator('[data-testid="load-error"]', {
            hasText: 'Could not load odd.json: entry 1 (version): origin should be absent or an object of an id and a label',
          })
          .waitFor();
      } finally {
        await local.close();
      }
    },
  );

  it('refuses a recording with a damaged entry, saying which, and keeps what was shown', { timeout: 30_000 }, async () => {
    const local = await createLocalInspector();
    try {
      const page = await openPage(local.url);
      const good = [
        {
          kind: 'actor',
          seq: 0,
          at: 0,
          sessionId: 'x:0',
          id: 'x:0',
          systemId: 'app',
          parentId: null,
          rootId: 'x:0',
          logic: 'actor',
          machineId: null,
          origin: 'local',
        },
        { kind: 'event', seq: 1, at: 1, sourceId: null, targetId: 'x:0', type: 'go', event: { type: 'go' } },
        // A kind from a newer format, named like a prototype's key: kept for Save, otherwise skipped.
        { kind: '__proto__', seq: 2, at: 2 },
      ];
      await page.getByTestId('load-input').setInputFiles(recordingFile('good.json', good));
      await page.locator('[data-testid="source"]', { hasText: 'good.json' }).waitFor();
      expect(await page.getByTestId('event').getAttribute('data-type')).toBe('go');

      await page.getByTestId('load-input').setInputFiles(recordingFile('bad.json', [{ ...good[1], type: 5 }]));
      await page.locator('[data-testid="load-error"]', { hasText: 'Could not load bad.json: entry 0 (event): type should be a string, received 5' }).waitFor();
      expect(await page.getByTestId('source').textContent()).toBe('good.json');
      expect(await page.getByTestId('event').getAttribute('data-type')).toBe('go');
    } finally {
      await local.close();
    }
  });

  it('runs under `npm run inspect` (src/inspect/cli.ts): prints the URL, serves the run until Ctrl-C, then saves it', { timeout: 120_000 }, async () => {
    const work = mkdtempSync(join(tmpdir(), 'concord-inspector-cli-'));
    const saved = join(work, 'run.json');
    const child = spawn(join(root, 'node_modules', '.bin', 'tsx'), ['src/inspect/cli.ts', '--port', '0', '--save', saved, example, join(work, 'out')], {
      cwd: root,
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    let finalVersion = -1;
    try {
      let url = '';
      for await (const line of createInterface({ input: child.stdout })) {
        url ||= /^Concord inspector: (http:\/\/127\.0\.0\.1:\d+\/)$/.exec(line)?.[1] ?? '';
        const final = /^final version (\d+),/.exec(line);
        if (final) finalVersion = Number(final[1]);
        if (line.includes('has finished; serving')) break;
      }
      expect(url, stderr).not.toBe('');
      expect(finalVersion, stderr).toBeGreaterThan(20);

      const page = await openPage(url);
      await page.locator(`[data-testid="timeline"] [data-testid="version"][data-version="${finalVersion}"]`).waitFor();
      expect(await shownVersions(page)).toEqual(range(0, finalVersion));
      await page.locator('[data-testid="actor"][data-name="pipeline"] [data-testid="actor-value"]', { hasText: 'completed' }).waitFor();
      await page.close();
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited, stderr).toBe(0);
    const timelines = [...modelFromRecording(await loadRecording(saved)).states.values()];
    expect(timelines.map((timeline) => timeline.versions.map((version) => version.version))).toEqual([range(0, finalVersion)]);
  });
});
