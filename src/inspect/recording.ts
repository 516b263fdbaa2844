import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { StateChangeRecordSchema } from '../schemas.ts';
import type { Json } from './readable.ts';
import { VersionOriginSchema } from './versionOrigin.ts';

/**
 * A recording is the run's inspection stream: entries in the order they
 * happened, each JSON only, so the same list drives the live page, is saved
 * to a file and is loaded again later. The page folds it into actors,
 * events and version timelines.
 */

function isJson(value: unknown, depth = 0): value is Json {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value !== 'object' || depth > 10_000) return false;
  return Object.values(value).every((item) => isJson(item, depth + 1));
}

const isJsonObject = (value: unknown): value is Record<string, Json> => typeof value === 'object' && value !== null && !Array.isArray(value) && isJson(value);

// Checked, never rebuilt: a rebuilt object would lose (or worse, assign as a prototype) a state key named "__proto__".
const JsonSchema = z.custom<Json>((value) => isJson(value), { message: 'expected a JSON value' });
const JsonObjectSchema = z.custom<Record<string, Json>>(isJsonObject, { message: 'expected an object of JSON values' });

const base = {
  /** Position in the stream, from 0. */
  seq: z.number().int().nonnegative(),
  /** Milliseconds since the epoch, from the inspector's clock. */
  at: z.number(),
};

/** A machine (it is in a state) or any other actor logic (promise, callback, observable, transition). */
export const ActorLogicSchema = z.enum(['machine', 'actor']);

/**
 * An actor was created, or more became known about it (XState gives an actor
 * its `systemId` just after announcing it): later entries for the same
 * `sessionId` complete earlier ones.
 */
export const ActorEntrySchema = z.object({
  ...base,
  kind: z.literal('actor'),
  sessionId: z.string(),
  /** The actor's `id` (its invoke id, or its sessionId). */
  id: z.string(),
  systemId: z.string().nullable(),
  parentId: z.string().nullable(),
  rootId: z.string().nullable(),
  logic: ActorLogicSchema,
  /** A machine's own id (`pipeline`), when the actor runs a machine. */
  machineId: z.string().nullable(),
  /** `local` for this process, `ws:N` for the N-th WebSocket inspector connected. */
  origin: z.string(),
});

/** An actor's snapshot changed: for a machine, `value` is the state it is in. */
export const SnapshotEntrySchema = z.object({
  ...base,
  kind: z.literal('snapshot'),
  sessionId: z.string(),
  status: z.string(),
  value: JsonSchema.nullable(),
  /** The event that led to this snapshot. */
  eventType: z.string().nullable(),
  output: JsonSchema.optional(),
  error: JsonSchema.optional(),
});

/** An event delivered to an actor; `sourceId` is null when it came from outside any actor. */
export const EventEntrySchema = z.object({
  ...base,
  kind: z.literal('event'),
  sourceId: z.string().nullable(),
  targetId: z.string(),
  type: z.string(),
  /** The event's payload, trimmed to what is readable. */
  event: JsonSchema,
});

/**
 * A shared state's reply to a command, read from the snapshot after it
 * (every command has one there, whether it asked for a `state.reply` or not):
 * applied or refused, and the version it made.
 */
export const ReplyEntrySchema = z.object({
  ...base,
  kind: z.literal('reply'),
  /** The state actor's sessionId. */
  stateId: z.string(),
  /** The `seq` of the command's event entry; null when the command was not recorded as one. */
  eventSeq: z.number().int().nonnegative().nullable(),
  requestId: z.string().nullable(),
  ok: z.boolean(),
  /** Applied: the reply's result, trimmed. */
  result: JsonSchema.optional(),
  /** Refused: the error, as its payload (name, message, fields). */
  error: JsonSchema.optional(),
  /** The version the command made; null when it made none (a read, a refusal, a write that changed nothing). */
  version: z.number().int().nonnegative().nullable(),
});

/**
 * A StateChangeRecord with its values made readable and trimmed (BRIEF):
 * the whole values are the snapshots of its version and the one before.
 */
export const RecordedChangeSchema = StateChangeRecordSchema.unwrap().extend({ oldValue: JsonSchema, newValue: JsonSchema });

/** A shared state was attached: its snapshot at the oldest version still readable. */
export const StateEntrySchema = z.object({
  ...base,
  kind: z.literal('state'),
  /** The state actor's sessionId. */
  stateId: z.string(),
  version: z.number().int().nonnegative(),
  snapshot: JsonObjectSchema,
});

/**
 * A version of an attached state: its change records, and its snapshot as
 * the keys whose value differs from the version before (`changed`) and the
 * keys gone (`removed`): every version's whole snapshot, at the cost of a diff.
 */
export const VersionEntrySchema = z.object({
  ...base,
  kind: z.literal('version'),
  stateId: z.string(),
  version: z.number().int().nonnegative(),
  records: z.array(RecordedChangeSchema),
  changed: JsonObjectSchema,
  removed: z.array(z.string()),
  /** The process whose write made it, for a state that knows (a replicated one); absent otherwise, and in recordings made before origins were. */
  origin: VersionOriginSchema.optional(),
});

/** One line of the inspection stream. */
export const EntrySchema = z.discriminatedUnion('kind', [
  ActorEntrySchema,
  SnapshotEntrySchema,
  EventEntrySchema,
  ReplyEntrySchema,
  StateEntrySchema,
  VersionEntrySchema,
]);

/** A saved recording, as `save()` writes it and the page's Load reads it. */
export const RecordingSchema = z.object({
  format: z.literal('concord-inspection'),
  formatVersion: z.literal(1),
  startedAt: z.number(),
  entries: z.array(EntrySchema),
});

/** @see ActorEntrySchema */
export type ActorEntry = z.infer<typeof ActorEntrySchema>;
/** @see SnapshotEntrySchema */
export type SnapshotEntry = z.infer<typeof SnapshotEntrySchema>;
/** @see EventEntrySchema */
export type EventEntry = z.infer<typeof EventEntrySchema>;
/** @see ReplyEntrySchema */
export type ReplyEntry = z.infer<typeof ReplyEntrySchema>;
/** @see RecordedChangeSchema */
export type RecordedChange = z.infer<typeof RecordedChangeSchema>;
/** @see StateEntrySchema */
export type StateEntry = z.infer<typeof StateEntrySchema>;
/** @see VersionEntrySchema */
export type VersionEntry = z.infer<typeof VersionEntrySchema>;
/** @see EntrySchema */
export type Entry = z.infer<typeof EntrySchema>;
/** @see RecordingSchema */
export type Recording = z.infer<typeof RecordingSchema>;
/** An entry before the recorder numbers and stamps it. */
export type NewEntry = Entry extends infer E ? (E extends Entry ? Omit<E, 'seq' | 'at'> : never) : never;

/**
 * Reads a recording saved by `save()` (or the page's Save), checked against
 * RecordingSchema, for post-mortem scripts.
 *
 * @example
 * const { entries } = await loadRecording('run.json');
 * entries.filter((entry) => entry.kind === 'version').length; // versions recorded
 */
export async function loadRecording(path: string): Promise<Recording> {
  const parsed = RecordingSchema.safeParse(JSON.parse(await readFile(path, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${path} is not a Concord inspection recording: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'unknown shape'}`);
  }
  return parsed.data;
}
