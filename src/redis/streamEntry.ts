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

/** Bytes an entry takes beside its proposals and its label: the field names, origin and numbers. */
export const ENTRY_OVERHEAD = 128;
/** Bytes each proposal adds to an entry beside its payload: its frame's length and its request id. */
export const PROPOSAL_OVERHEAD = 24;
const FRAME_LENGTH = 4;

/** Who proposed an entry: a replica's origin id, and the lowest request number it still waits for. */
export interface EntryOrigin {
  readonly origin: string;
  /** Every request of this origin below it is settled: a copy of one arriving later is a duplicate. */
  readonly watermark: number;
}

/** One proposal of an entry: its request number at its origin, and what it asks, or null when it cannot be read (it is then skipped everywhere). */
export interface EntryProposal {
  readonly requestId: number;
  readonly proposal: Proposal | null;
}

/** An entry read back: where it is in the stream, who sent it, and its proposals, in the order they were made. */
export interface StreamEntry extends EntryOrigin {
  readonly id: string;
  /** The label its replica was connected with; its origin id when the entry carries none. */
  readonly label: string;
  /** Empty when the entry cannot be read at all. */
  readonly proposals: readonly EntryProposal[];
}

/** A proposal encoded for the stream, with its request number. */
export interface OutgoingProposal {
  readonly requestId: number;
  readonly payload: Buffer;
}

export const encodeProposal = (proposal: Proposal): Buffer => encodeValue(proposal);

/**
 * The fields of an XADD, after `XADD key *`: many proposals ride in one
 * entry, their request numbers in `r` and their payloads framed by length in
 * `b`, so a burst of writes costs one entry. The label, when given, rides in
 * every entry so any replica, joining at any point, can name its origin.
 */
export function entryFields(
  { origin, watermark, label }: EntryOrigin & { readonly label?: string },
  proposals: readonly OutgoingProposal[],
): (string | Buffer)[] {
  const batch = Buffer.allocUnsafe(proposals.reduce((bytes, { payload }) => bytes + FRAME_LENGTH + payload.length, 0));
  let at = 0;
  for (const { payload } of proposals) {
    at = batch.writeUInt32BE(payload.length, at);
    at += payload.copy(batch, at);
  }
  const requestIds = proposals.map(({ requestId }) => requestId).join(',');
  return ['o', origin, 'w', String(watermark), 'r', requestIds, 'b', batch, ...(label === undefined ? [] : ['l', label])];
}

/** The payloads framed in `batch`, or null when its frames do not add up to it. */
function framesOf(batch: Buffer): Buffer[] | null {
  const frames: Buffer[] = [];
  for (let at = 0; at < batch.length;) {
    if (at + FRAME_LENGTH > batch.length) return null;
    const end = at + FRAME_LENGTH + batch.readUInt32BE(at);
    if (end > batch.length) return null;
    frames.push(batch.subarray(at + FRAME_LENGTH, end));
    at = end;
  }
  return frames;
}

function decodeProposal(payload: Buffer): Proposal | null {
  try {
    const parsed = ProposalSchema.safeParse(decodeValue(payload));
    return parsed.success ? parsed.data : null;
  } catch {
    // Bytes of no codec Concord reads: skipped on every replica alike.
    return null;
  }
}

const requestNumber = (text: string | undefined): number => {
  const parsed = Number(text);
  return text !== undefined && text !== '' && Number.isSafeInteger(parsed) ? parsed : -1;
};

/**
 * An entry as XREAD returns it with buffers. An entry of one proposal in
 * `p`, as replicas wrote before entries carried many, reads as one of one;
 * whatever another program wrote there decodes as an unreadable entry.
 */
export function decodeEntry(id: Buffer, fields: readonly Buffer[]): StreamEntry {
  const field = new Map<string, Buffer>();
  for (let i = 0; i + 1 < fields.length; i += 2) field.set((fields[i] as Buffer).toString(), fields[i + 1] as Buffer);
  const origin = field.get('o')?.toString() ?? '';
  const requestIds = (field.get('r')?.toString() ?? '').split(',').map(requestNumber);
  const single = field.get('p');
  const batch = field.get('b');
  const payloads = single !== undefined ? [single] : batch !== undefined ? framesOf(batch) : null;
  const proposals =
    payloads === null || payloads.length !== requestIds.length || requestIds.includes(-1)
      ? []
      : payloads.map((payload, i) => ({ requestId: requestIds[i] as number, proposal: decodeProposal(payload) }));
  return { id: id.toString(), origin, label: field.get('l')?.toString() ?? origin, watermark: requestNumber(field.get('w')?.toString()), proposals };
}
