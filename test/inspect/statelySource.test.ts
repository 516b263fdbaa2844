/** What a WebSocket inspector sends, turned into entries: only so much of each name is kept. */
import { describe, expect, it } from 'vitest';
import { Recorder } from '../../src/inspect/recorder.ts';
import { createStatelySource, MAX_NAME_LENGTH } from '../../src/inspect/statelySource.ts';

describe('createStatelySource', () => {
  it('cuts event types, session ids, source ids and names to a few hundred characters', () => {
    const recorder = new Recorder(() => 0);
    const accept = createStatelySource(recorder, 'ws:1');
    const huge = (letter: string) => letter.repeat(1_000_000);
    accept({ type: '@xstate.actor', sessionId: huge('s'), name: huge('n'), snapshot: { value: 'idle' } });
    accept({ type: '@xstate.event', sessionId: huge('s'), sourceId: huge('o'), event: { type: huge('t') } });
    accept({ type: '@xstate.snapshot', sessionId: huge('s'), event: { type: huge('t') }, snapshot: { status: 'active', value: 'busy' } });

    const entries = recorder.entries();
    expect(entries.map((entry) => entry.kind)).toEqual(['actor', 'actor', 'event', 'snapshot']);
    const longest = Math.max(
      ...entries.flatMap((entry) =>
        Object.values(entry)
          .filter((field) => typeof field === 'string')
          .map((field) => field.length),
      ),
    );
    expect(longest).toBeLessThan(MAX_NAME_LENGTH + 100);
    const event = entries.find((entry) => entry.kind === 'event');
    expect(event?.type.startsWith('t'.repeat(MAX_NAME_LENGTH))).toBe(true);
    expect(event?.type).toContain(`${1_000_000 - MAX_NAME_LENGTH} more characters`);
    // The same long id, cut the same way each time: still one actor.
    const [actor] = entries;
    expect(actor?.kind === 'actor' && actor.sessionId).toBe(event?.targetId);
    expect(entries.at(-1)).toMatchObject({ kind: 'snapshot', sessionId: event?.targetId });
  });
});
