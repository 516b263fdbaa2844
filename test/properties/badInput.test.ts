import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createActor, fromCallback } from 'xstate';
import { createThreadSafeState, StateCommandSchema, type StateReply } from 'concord-state';

const commandTypes = StateCommandSchema.options.map((option) => option.shape.type.value);

/** Events the schema refuses: anything at all, and commands with fields of the wrong type, missing or extra. */
const schemaInvalid = fc
  .oneof(
    fc.anything(),
    fc.record(
      {
        type: fc.oneof(fc.constantFrom(...commandTypes), fc.string(), fc.constant('xstate.stop')),
        key: fc.oneof(fc.anything(), fc.string({ maxLength: 3 }), fc.string({ minLength: 100_000, maxLength: 100_000 })),
        value: fc.anything(),
        values: fc.anything(),
        version: fc.anything(),
        expectedVersion: fc.anything(),
        limit: fc.anything(),
        changedBy: fc.anything(),
        requestId: fc.anything(),
        extra: fc.anything(),
      },
      { requiredKeys: [] },
    ),
  )
  .filter((event) => !StateCommandSchema.safeParse(event).success);

/** Well-formed commands whose value is refused after the schema: nested deeper than the 1,000 levels a value may have. */
const tooDeep = fc.integer({ min: 1_100, max: 5_000 }).map((depth) => {
  let nested: unknown = 'bottom';
  for (let i = 0; i < depth; i++) nested = { nested };
  return { type: 'state.set', key: 'deep', value: nested };
});

const malformedEvent = fc.oneof(schemaInvalid, tooDeep);

describe('malformed events sent straight to the actor', () => {
  it('never throw out of the mailbox, never change the state, and get an error reply when replyTo is given', { timeout: 60_000 }, () => {
    const replies: StateReply[] = [];
    const inbox = createActor(fromCallback<StateReply>(({ receive }) => receive((reply) => replies.push(reply)))).start();

    fc.assert(
      // A fresh state each run: if an event ever stops the actor, the shrunk counterexample is that event, not a later harmless one.
      fc.property(malformedEvent, fc.boolean(), (event, withReplyTo) => {
        const state = createThreadSafeState<Record<string, number>>({ initialState: { a: 1 } });
        const before = { snapshot: state.snapshot(), version: state.getVersion(), history: state.getHistory().length };
        const sent = withReplyTo && typeof event === 'object' && event !== null && !Array.isArray(event) ? { ...event, replyTo: inbox } : event;
        const repliesBefore = replies.length;
        const rejectedBefore = state.getMetrics().rejectedCount;
        expect(() => state.actor.send(sent as never)).not.toThrow();
        expect(state.actor.getSnapshot().status).toBe('active');
        expect(state.getMetrics().rejectedCount).toBe(rejectedBefore + 1);
        expect(state.snapshot()).toBe(before.snapshot);
        expect(state.getVersion()).toBe(before.version);
        expect(state.getHistory()).toHaveLength(before.history);
        if (sent !== event) {
          expect(replies).toHaveLength(repliesBefore + 1);
          expect(replies.at(-1)).toMatchObject({ ok: false, error: { name: 'StateValidationError' } });
        }
        state.stop();
      }),
      { numRuns: 500 },
    );
    inbox.stop();
  });
});
