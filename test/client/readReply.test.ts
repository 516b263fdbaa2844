import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StateReplySchema } from 'concord-state';
import { readReply } from '../../src/client/readReply.ts';

const reply = fc.record(
  {
    type: fc.oneof(fc.constant('state.reply'), fc.string()),
    requestId: fc.oneof(fc.string(), fc.constant(null), fc.integer()),
    ok: fc.oneof(fc.boolean(), fc.anything()),
    result: fc.anything(),
    error: fc.oneof(
      fc.record({ name: fc.oneof(fc.string(), fc.integer()), message: fc.oneof(fc.string(), fc.constant(undefined)) }, { requiredKeys: [] }),
      fc.anything(),
    ),
    extra: fc.anything(),
  },
  { requiredKeys: [] },
);

describe('readReply', () => {
  it('accepts exactly what StateReplySchema accepts', () => {
    fc.assert(
      fc.property(fc.oneof(reply, fc.anything()), (event) => {
        expect(readReply(event) !== null).toBe(StateReplySchema.safeParse(event).success);
      }),
      { numRuns: 20_000 },
    );
  });

  it('accepts both kinds of reply, and nothing that throws when read', () => {
    expect(readReply({ type: 'state.reply', requestId: 'a', ok: true, result: undefined })).not.toBeNull();
    expect(readReply({ type: 'state.reply', requestId: null, ok: false, error: { name: 'E', message: 'm', key: 'k' } })).not.toBeNull();
    const hostile = new Proxy(
      {},
      {
        get: () => {
          throw new Error('hostile');
        },
      },
    );
    expect(readReply(hostile)).toBeNull();
  });
});
