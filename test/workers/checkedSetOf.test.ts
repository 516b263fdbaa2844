/**
 * A worker's `state.set` is checked in plain code on the agent's side and
 * goes on as a CheckedSet, which the state actor does not parse again: the
 * check must accept only what SetCommandSchema accepts, with the same fields,
 * and it must take every well-formed set a CheckedSet can carry.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createActor, fromCallback, type AnyActorRef } from 'xstate';
import { createThreadSafeState, SetCommandSchema, type StateReply } from 'concord-state';
import { checkedSetOf } from '../../src/commands/checkedCommand.ts';

/** A field's valid values, undefined, or anything at all. */
const field = <T>(valid: fc.Arbitrary<T>) => fc.oneof(valid, fc.constant(undefined), fc.anything());
const fields = {
  type: fc.oneof(fc.constant('state.set'), fc.constant('state.get'), fc.string()),
  key: fc.oneof(fc.string(), fc.constant(''), fc.anything()),
  value: fc.anything(),
  requestId: field(fc.string()),
  changedBy: field(fc.string()),
  expectedVersion: field(fc.oneof(fc.nat(), fc.integer(), fc.double(), fc.constantFrom(-0, 2 ** 53, Number.MAX_SAFE_INTEGER))),
  timestamp: field(fc.oneof(fc.double(), fc.constantFrom(Infinity, -Infinity, NaN))),
  expectedKeyVersion: field(fc.nat()),
  grant: field(fc.constant({ agentId: 'admin' })),
  replyTo: fc.anything(),
  extra: fc.anything(),
};
// Any of the fields; and, to be near the edge more often, at least those every set needs, each valid or not.
const set = fc.oneof(fc.record(fields, { requiredKeys: [] }), fc.record(fields, { requiredKeys: ['type', 'key', 'value', 'requestId'] }));

function inbox(): { ref: AnyActorRef; replies: StateReply[] } {
  const replies: StateReply[] = [];
  const ref = createActor(fromCallback<StateReply>(({ receive }) => receive((reply) => void replies.push(reply)))).start();
  return { ref, replies };
}

describe('checkedSetOf', () => {
  const { ref } = inbox();

  it('takes a set only when SetCommandSchema accepts it, with the same fields, and every one a CheckedSet can carry', () => {
    fc.assert(
      fc.property(fc.oneof(set, fc.anything()), (event) => {
        const checked = checkedSetOf(event, ref);
        // The port's side answers to its own actor, whatever replyTo the worker named.
        const parsed = SetCommandSchema.safeParse(typeof event === 'object' && event !== null ? { ...event, replyTo: ref } : event);
        if (checked !== null) {
          expect(parsed.success).toBe(true);
          const { key, value, requestId, changedBy, expectedVersion, timestamp } = parsed.data ?? {};
          expect({ key, value, requestId, changedBy, expectedVersion, timestamp }).toStrictEqual({
            key: checked.key,
            value: checked.value,
            requestId: checked.requestId,
            changedBy: checked.changedBy,
            expectedVersion: checked.expectedVersion,
            timestamp: checked.timestamp,
          });
          expect(checked.replyTo).toBe(ref);
          expect(checked.grant).toBeUndefined();
        } else if (parsed.success) {
          // What it leaves to the schema: a set without a request id, with a key version, or with a grant (which never passes).
          const { requestId, expectedKeyVersion, grant } = parsed.data;
          expect(requestId === undefined || expectedKeyVersion !== undefined || grant !== undefined).toBe(true);
        }
      }),
      { numRuns: 20_000 },
    );
  });

  it('refuses nothing that throws when read, and never throws', () => {
    const hostile = new Proxy(
      {},
      {
        get: () => {
          throw new Error('hostile');
        },
      },
    );
    expect(checkedSetOf(hostile, ref)).toBeNull();
    expect(checkedSetOf([{ type: 'state.set', key: 'a', value: 1, requestId: 'r' }], ref)).toBeNull();
  });

  it('is applied as the schema would have it: stamped by the state clock, answered to its actor', async () => {
    const state = createThreadSafeState<Record<string, number>>({ clock: () => 1_000 });
    const { ref: replyTo, replies } = inbox();
    state.actor.send(checkedSetOf({ type: 'state.set', key: 'a', value: 1, requestId: 'w:0', changedBy: 'w', expectedVersion: undefined }, replyTo) as never);
    state.actor.send(checkedSetOf({ type: 'state.set', key: 'a', value: 2, requestId: 'w:1', expectedVersion: 0 }, replyTo) as never);
    for (let i = 0; i < 100 && replies.length < 2; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(replies).toMatchObject([
      { requestId: 'w:0', ok: true, result: 1 },
      { requestId: 'w:1', ok: false, error: { name: 'StateConflictError' } },
    ]);
    expect(state.getHistory()).toMatchObject([{ key: 'a', newValue: 1, changedBy: 'w', timestamp: 1_000 }]);
    state.stop();
  });
});
