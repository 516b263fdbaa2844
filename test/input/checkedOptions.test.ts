/**
 * The facade's write options are checked in plain code, not by a zod parse
 * of each write: the check must accept exactly what WriteOptionsSchema
 * accepts with no field it does not name, with the same fields; anything
 * else takes the path where the write is refused with its typed error.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createThreadSafeState, StateValidationError } from 'concord-state';
import { checkedOptions } from '../../src/commands/checkedCommand.ts';
import { unknownOptions } from '../../src/options.ts';
import { WriteOptionsSchema } from '../../src/protocol.ts';

const field = <T>(valid: fc.Arbitrary<T>) => fc.oneof(valid, fc.constant(undefined), fc.anything());
const fields = {
  changedBy: field(fc.string()),
  expectedVersion: field(fc.oneof(fc.nat(), fc.integer(), fc.double(), fc.constantFrom(-0, 2 ** 53, Number.MAX_SAFE_INTEGER))),
  extra: fc.anything(),
};
const options = fc.oneof(
  fc.record(fields, { requiredKeys: [] }),
  fc.record({ changedBy: fields.changedBy, expectedVersion: fields.expectedVersion }),
  fc.anything(),
);

describe('checkedOptions', () => {
  it('accepts what WriteOptionsSchema accepts with no unknown field, with the same fields, and nothing else', () => {
    fc.assert(
      fc.property(options, (given) => {
        const checked = checkedOptions(given as never);
        const parsed = WriteOptionsSchema.safeParse(given);
        // No options at all are a write's default, not a refusal.
        const accepted = given === undefined || (parsed.success && unknownOptions(given, WriteOptionsSchema) === null);
        expect(checked !== null).toBe(accepted);
        if (checked !== null && parsed.success) {
          expect({ changedBy: checked.changedBy, expectedVersion: checked.expectedVersion }).toEqual({
            changedBy: parsed.data.changedBy,
            expectedVersion: parsed.data.expectedVersion,
          });
        }
      }),
      { numRuns: 20_000 },
    );
  });

  it('sends a set whose options it refuses down the path that rejects it with StateValidationError, changing nothing', async () => {
    const state = createThreadSafeState<Record<string, number>>({ initialState: { a: 1 } });
    const inherited = Object.create({ chanedBy: 'typo' }) as object;
    for (const bad of [{ changedBy: 7 }, { expectedVersion: -1 }, { expectedVersion: 2 ** 53 }, { chanedBy: 'typo' }, inherited]) {
      await expect(state.set('a', 2, bad as never)).rejects.toBeInstanceOf(StateValidationError);
    }
    expect(await state.set('a', 3, { changedBy: 'writer' })).toBe(1);
    expect(state.getVersion()).toBe(1);
    expect(state.getHistory()[0]?.changedBy).toBe('writer');
  });
});
