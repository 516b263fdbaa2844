import { describe, expect, it } from 'vitest';
import type { AnyActorRef, InspectionEvent } from 'xstate';
import { ambientInspector, createThreadSafeState, setAmbientInspector, type ConcordInspector, type ThreadSafeState } from 'concord-state';

function recordingInspector() {
  const events: InspectionEvent[] = [];
  const states: ThreadSafeState<Record<string, unknown>>[] = [];
  const inspector: ConcordInspector = { inspect: (event) => void events.push(event), attachState: (state) => void states.push(state) };
  return { inspector, events, states };
}

describe('the ambient inspector', () => {
  it('is used by a state created without an inspect of its own, and handed the state', async () => {
    const { inspector, events, states } = recordingInspector();
    const detach = setAmbientInspector(inspector);
    try {
      const state = createThreadSafeState<{ a: number }>();
      await state.set('a', 1);
      expect(states).toEqual([state]);
      expect(events.some((event) => event.type === '@xstate.event' && event.event.type === 'state.set')).toBe(true);
    } finally {
      detach();
    }
    expect(ambientInspector()).toBeUndefined();
  });

  it('nests: detaching the inner one puts the outer one back', () => {
    const outer = recordingInspector().inspector;
    const inner = recordingInspector().inspector;
    const detachOuter = setAmbientInspector(outer);
    const detachInner = setAmbientInspector(inner);
    expect(ambientInspector()).toBe(inner);
    detachInner();
    expect(ambientInspector()).toBe(outer);
    detachOuter();
    expect(ambientInspector()).toBeUndefined();
  });

  it('unwinds in any order: an inspector detached first never comes back', () => {
    const first = recordingInspector().inspector;
    const second = recordingInspector().inspector;
    const detachFirst = setAmbientInspector(first);
    const detachSecond = setAmbientInspector(second);
    detachFirst();
    expect(ambientInspector()).toBe(second);
    detachSecond();
    expect(ambientInspector()).toBeUndefined();
  });

  it('an inspector whose attachState throws: createThreadSafeState throws it, and leaves no actor running', () => {
    let actor: AnyActorRef | undefined;
    const failing: ConcordInspector = {
      inspect: (event) => {
        if (event.type === '@xstate.actor') actor ??= event.actorRef as AnyActorRef;
      },
      attachState: () => {
        throw new Error('cannot attach');
      },
    };
    expect(() => createThreadSafeState({ inspect: failing })).toThrow('cannot attach');
    expect((actor?.getSnapshot() as { status: string } | undefined)?.status).toBe('stopped');
  });
});
