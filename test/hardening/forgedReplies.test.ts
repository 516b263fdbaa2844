/**
 * Issue 13, finding 6: request ids are not readable by other actors, and a
 * reply of another sender's making settles nothing of the facade's or an agent's.
 */
import { describe, expect, it } from 'vitest';
import { createActor, toPromise, type InspectionEvent } from 'xstate';
import { createThreadSafeState, fromAgent, type AgentInput, type StateReply } from 'concord-state';

/** Every string anywhere in `value`. */
function stringsIn(value: unknown, seen = new Set<unknown>()): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value !== 'object' || value === null || seen.has(value)) return [];
  seen.add(value);
  return Object.values(value).flatMap((item) => stringsIn(item, seen));
}

describe('forged replies', () => {
  it("an actor that only watches the state's snapshots never sees an agent's request id, so it cannot answer one", async () => {
    // The state's inspector is its owner's: it sees the agent's ids, which the watcher below must not.
    const sentIds: string[] = [];
    const state = createThreadSafeState<Record<string, unknown>>({
      initialState: { secret: 'value' },
      inspect: (event: InspectionEvent) => {
        const requestId = (event.type === '@xstate.event' && (event.event as { requestId?: unknown }).requestId) || undefined;
        if (typeof requestId === 'string' && requestId.startsWith('reader#')) sentIds.push(requestId);
      },
    });
    const seen: string[] = [];
    state.actor.subscribe((snapshot) => seen.push(...stringsIn({ reply: snapshot.context.lastReply, outcome: snapshot.context.lastOutcome })));
    const reader = fromAgent(async ({ state: remote }, _input: AgentInput) => remote.get('secret'));
    const agent = createActor(reader, { input: { agentId: 'reader', state: state.actor } }).start();
    await expect(toPromise(agent)).resolves.toBe('value');
    expect(sentIds.length).toBeGreaterThan(0);
    for (const requestId of sentIds) expect(seen).not.toContain(requestId);
    state.stop();
  });

  it("a command sent with the facade's next request id settles none of the facade's promises", async () => {
    // The inspector is the owner's: it shows the facade's ids, which an attacker would have to guess.
    const ids: string[] = [];
    const state = createThreadSafeState<Record<string, unknown>>({
      initialState: { bait: { forged: true } },
      inspect: (event) => {
        const requestId = event.type === '@xstate.event' ? (event.event as { requestId?: unknown }).requestId : undefined;
        if (typeof requestId === 'string') ids.push(requestId);
      },
    });
    await state.set('warmup', 1);
    const [first = ''] = ids;
    const prefix = first.slice(0, first.lastIndexOf(':') + 1);
    // The ids the facade gives next: the modify's, then the set's made inside its recipe.
    const auditId = `${prefix}${Number(first.slice(prefix.length)) + 2}`;
    const forgedReplies: StateReply[] = [];
    state.actor.subscribe(({ context }) => void (context.lastReply && forgedReplies.push(context.lastReply)));
    let audit: Promise<number> | undefined;
    await state.modify('bait', (draft) => {
      // The mailbox is busy: the forged command is queued first, then the owner's set, which gets the id it names.
      state.actor.send({ type: 'state.get', key: 'bait', requestId: auditId });
      audit = state.set('audit', 'kept');
      return draft;
    });
    await expect(audit).resolves.toBe(2);
    expect(state.get('audit')).toBe('kept');
    expect(forgedReplies.map((reply) => reply.requestId)).toContain(auditId);
    state.stop();
  });
});
