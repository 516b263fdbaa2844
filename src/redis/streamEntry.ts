import { AgentAccessSchema, AgentIdSchema } from '../access/grants.ts';
import { z } from 'zod';
import { StateKeySchema, VersionSchema } from '../schemas.ts';
import { decodeValue, encodeValue } from '../values/codec.ts';

/**
 * One write as it travels through the stream: the command without anything
 * a function would carry (a `modify` travels as the `set` of its result),
 * stamped with who and when at the proposing replica, so every replica
 * applies it to the same contents and records the same history.
 */
const expectedKeyVersion = VersionSchema.optional();

export const WireWriteSchema = z.discriminatedUnion('type', [
  /** `modify` marks the result of a recipe: the proposer is answered with the value, not the version. */
  z.object({ type: z.literal('set'), key: StateKeySchema, value: z.unknown(), expectedKeyVersion, modify: z.literal(true).optional() }),
  /** Entries, not an object, so a `__proto__` key stays data. */
  z.object({
    type: z.literal('update'),
    entries: z.array(z.tuple([StateKeySchema, z.unknown()])),
    expectedKeyVersions: z.array(z.tuple([StateKeySchema, VersionSchema])).optional(),
  }),
  z.object({ type: z.literal('delete'), key: StateKeySchema, expectedKeyVersion }),
  z.object({ type: z.literal('clear') }),
  z.object({ type: z.literal('rollback'), version: z.number().int() }),
  z.object({ type: z.literal('rollbackToKnownGood') }),
  z.object({ type: z.literal('retain'), keys: z.array(StateKeySchema) }),
  z.object({ type: z.literal('clearHistory') }),
  z.object({ type: z.literal('markKnownGood'), label: z.string().optional() }),
]);
/** @see WireWriteSchema */
export type WireWrite = z.infer<typeof WireWriteSchema>;

export const ProposalSchema = z.object({
  write: WireWriteSchema,
  timestamp: z.number().finite(),
  changedBy: z.string().nullable(),
  expectedVersion: VersionSchema.optional(),
  /** The agent whose handle proposed it, with its patterns: every replica checks the write against them and records the agent. */
  agent: AgentAccessSchema.extend({ agentId: AgentIdSchema }).optional(),
});
/** @see ProposalSchema */
export type Proposal = z.infer<typeof ProposalSchema>;

/** Who proposed an entry: a replica's origin id, its request number, and the lowest request number it still waits for. */
export interface EntryOrigin {
  readonly origin: string;
  readonly requestId: number;
  /** Every request of this origin below it is settled: a copy of one arriving later is a duplicate. */
  readonly watermark: number;
}

/** An entry read back: where it is in the stream, who sent it, and what it asks, or null when it cannot be read (it is then skipped everywhere). */
export interface StreamEntry extends EntryOrigin {
  readonly id: string;
  /** The label its replica was connected with; its origin id when the entry carries none. */
  readonly label: string;
  readonly proposal: Proposal | null;
}

export const encodeProposal = (proposal: Proposal): Buffer => encodeValue(proposal);

/** The fields of an XADD, after `XADD key *`; the label, when given, rides in every entry so any replica, joining at any point, can name its origin. */
export function entryFields({ origin, requestId, watermark, label }: EntryOrigin & { readonly label?: string }, payload: Buffer): (string | Buffer)[] {
  return ['o', origin, 'r', String(requestId), 'w', String(watermark), 'p', payload, ...(label === undefined ? [] : ['l', label])];
}

/** An entry as XREAD returns it with buffers; whatever another program wrote there decodes as an unreadable entry. */
export function decodeEntry(id: Buffer, fields: readonly Buffer[]): StreamEntry {
  const field = new Map<string, Buffer>();
  for (let i = 0; i + 1 < fields.length; i += 2) field.set((fields[i] as Buffer).toString(), fields[i + 1] as Buffer);
  const number = (name: string): number => {
    const parsed = Number(field.get(name)?.toString());
    return Number.isSafeInteger(parsed) ? parsed : -1;
  };
  const origin = field.get('o')?.toString() ?? '';
  const payload = field.get('p');
  let proposal: Proposal | null = null;
  if (payload !== undefined) {
    try {
      const parsed = ProposalSchema.safeParse(decodeValue(payload));
      proposal = parsed.success ? parsed.data : null;
    } catch {
      // Bytes of no codec Concord reads: skipped on every replica alike.
    }
  }
  return { id: id.toString(), origin, label: field.get('l')?.toString() ?? origin, requestId: number('r'), watermark: number('w'), proposal };
}
