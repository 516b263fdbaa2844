/**
 * Stately's own inspector API (@statelyai/inspect's createInspector, with an
 * adapter that keeps what it is sent) attached to the code-generation
 * example, the way a user attaches createWebSocketInspector or
 * createBrowserInspector: the story of the run must be in what it receives.
 */
import { createInspector, type StatelyInspectionEvent, type StatelySnapshotEvent } from '@statelyai/inspect';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { setAmbientInspector } from 'concord-state/inspect';
import { runScript } from '../../src/inspect/runScript.ts';

const example = fileURLToPath(new URL('../../examples/codegen-workflow.ts', import.meta.url));
const contracts = ['Order', 'Product', 'User'];
const stages = ['parse', 'models', 'validators', 'tests'];

const received: StatelyInspectionEvent[] = [];
const inspector = createInspector({ send: (event) => void received.push(event) });

beforeAll(async () => {
  const detach = setAmbientInspector({ inspect: inspector.inspect, attachState: () => undefined });
  const exitCode = process.exitCode;
  try {
    await runScript(example, [mkdtempSync(join(tmpdir(), 'concord-stately-'))]);
    expect(process.exitCode ?? 0).toBe(0);
    // In Node the inspector hands each event on in a timer of its own: wait until the last of the story, the pipeline completed, is here.
    await vi.waitFor(() =>
      expect(
        received.some(
          (event) =>
            event.type === '@xstate.snapshot' &&
            event.sessionId === sessions().get('pipeline') &&
            (event.snapshot as { value?: unknown }).value === 'completed',
        ),
      ).toBe(true),
    );
  } finally {
    detach();
    process.exitCode = exitCode;
  }
}, 60_000);
afterAll(() => inspector.stop());

/** Actor name (its systemId) -> sessionId, from the actor registrations. */
function sessions(): Map<string, string> {
  return new Map(received.filter((event) => event.type === '@xstate.actor').map((event) => [event.name, event.sessionId]));
}

describe('@statelyai/inspect during the code-generation example', () => {
  it('registers the state, the pipeline, every stage and every agent under readable names', () => {
    const names = [...sessions().keys()];
    const agents = stages.flatMap((stage) => contracts.map((contract) => `${stage}:${contract}`));
    expect(names).toEqual(expect.arrayContaining(['state', 'pipeline', ...stages.map((stage) => `stage:${stage}`), ...agents]));
  });

  it('receives each agent’s commands to the state actor, sent by the agent, and the replies back to it', () => {
    const byName = sessions();
    const state = byName.get('state');
    const events = received.filter((event) => event.type === '@xstate.event');
    for (const agent of ['models:User', 'tests:Order']) {
      const session = byName.get(agent);
      const commands = events.filter((event) => event.sourceId === session && event.sessionId === state && event.event.type.startsWith('state.'));
      const replies = events.filter((event) => event.sourceId === state && event.sessionId === session && event.event.type === 'state.reply');
      expect(commands.length).toBeGreaterThan(0);
      expect(commands.every((event) => event.event.changedBy === agent)).toBe(true);
      expect(replies).toHaveLength(commands.length);
      expect(replies.every((event) => event.event.ok === true)).toBe(true);
    }
  });

  it('receives the workflow’s stage transitions, in order', () => {
    const byName = sessions();
    const valuesOf = (name: string) =>
      received
        .filter((event): event is StatelySnapshotEvent => event.type === '@xstate.snapshot' && event.sessionId === byName.get(name))
        .map((event) => (event.snapshot as { value?: unknown }).value);
    const pipeline = valuesOf('pipeline');
    expect(pipeline.at(-1)).toBe('completed');
    expect(pipeline).toContain('runningWave');
    for (const stage of stages) {
      const seen = valuesOf(`stage:${stage}`).filter((value, i, all) => value !== all[i - 1]);
      expect(seen).toEqual(['running', 'recordingStep', 'done']);
    }
  });
});
