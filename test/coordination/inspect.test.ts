import { describe, expect, it } from 'vitest';
import type { InspectionEvent } from 'xstate';
import { createThreadSafeState } from 'concord-state';

describe('the inspect option', () => {
  it('is passed to createActor: the inspector sees the state actor and each command it receives', async () => {
    const events: InspectionEvent[] = [];
    const state = createThreadSafeState<Record<string, number>>({ inspect: (event) => events.push(event) });
    await state.set('a', 1, { changedBy: 'agent-1' });
    await state.delete('a');

    const actorEvent = events.find((event) => event.type === '@xstate.actor');
    expect(actorEvent?.actorRef).toBe(state.actor);
    const commands = events.filter((event) => event.type === '@xstate.event').map((event) => (event.type === '@xstate.event' ? event.event.type : ''));
    expect(commands).toEqual(['xstate.init', 'state.set', 'state.delete']);
    const snapshots = events.filter((event) => event.type === '@xstate.snapshot');
    expect(snapshots.length).toBeGreaterThanOrEqual(2);
    expect(state.actor.system.get('state')).toBe(state.actor);
  });
});
