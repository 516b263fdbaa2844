import { z } from 'zod';
import { ErrorPayloadSchema, type StateReply } from '../protocol.ts';
import { fromRows, toRows } from './commandRows.ts';
import { REPLY_WIDTH } from './replyRows.ts';

/**
 * What crosses the MessagePort between a worker agent and the state's side:
 * one message per side per turn of the event loop. The commands inside are
 * validated on the state's side once, like any other: a well-formed `set` by
 * checkedSetOf, held to its schema, anything else by the state actor.
 */
export const FromWorkerSchema = z.discriminatedUnion('kind', [
  /** The commands the worker issued in one tick, in order; `watching`: whether it wants change notices from now on. */
  z.strictObject({ kind: z.literal('commands'), commands: z.array(z.unknown()), watching: z.boolean() }),
  /** The same, laid out as CommandRows: what runWorkerAgent's transport posts. */
  z
    .strictObject({ kind: z.literal('rows'), shapes: z.array(z.array(z.string())), rows: z.array(z.unknown()), watching: z.boolean() })
    .refine(({ shapes, rows }) => fromRows(shapes, rows) !== null, { message: 'each row is a shape index followed by as many values as the shape has keys' }),
  z.strictObject({ kind: z.literal('done'), output: z.unknown() }),
  z.strictObject({ kind: z.literal('failed'), error: ErrorPayloadSchema }),
]);
/** @see FromWorkerSchema */
export type FromWorker = z.infer<typeof FromWorkerSchema>;
/** The message carrying a worker's commands as objects, which is how the agent's side reads a `rows` one too. */
export type CommandsMessage = Extract<FromWorker, { kind: 'commands' }>;
/** A message from a worker as the agent's side reads it. */
export type ReceivedFromWorker = Exclude<FromWorker, { kind: 'rows' }>;

/**
 * The replies to one port's commands, as ReplyRows (each checked by the state
 * client as it receives it), and the versions written since the last message
 * (to a watching worker), in one message per tick.
 */
export const ToWorkerSchema = z.strictObject({
  kind: z.literal('batch'),
  replies: z.array(z.unknown()).refine((rows) => rows.length % REPLY_WIDTH === 0, { message: `replies come ${REPLY_WIDTH} values each` }),
  changed: z.array(z.number()),
});
/** @see ToWorkerSchema */
export type ToWorker = z.infer<typeof ToWorkerSchema>;

type Fields = Record<string, unknown>;

/** True for a dense array: a structured clone keeps holes, and a sparse one can claim 2**32 - 1 items in a few bytes. */
function isDense(value: unknown): value is unknown[] {
  if (!Array.isArray(value)) return false;
  for (let i = 0; i < value.length; i++) if (!(i in value)) return false;
  return true;
}

/** True when `message` has exactly `count` own keys: the schemas' objects are strict. */
const hasKeys = (message: object, count: number) => Object.keys(message).length === count;

/** The message carrying `commands`, as runWorkerAgent's transport posts them. */
export function rowsMessage(commands: readonly object[], watching: boolean): FromWorker {
  const { shapes, rows } = toRows(commands);
  return { kind: 'rows', shapes, rows, watching };
}

const isShape = (shape: unknown) => isDense(shape) && shape.every((key) => typeof key === 'string');

/** The commands of a `rows` message, or null when its envelope or its rows are not as FromWorkerSchema says. */
function commandsOfRows(raw: object): unknown[] | null {
  const { shapes, rows, watching } = raw as Fields;
  if (!isDense(shapes) || !shapes.every(isShape) || !isDense(rows) || typeof watching !== 'boolean' || !hasKeys(raw, 4)) return null;
  return fromRows(shapes, rows);
}

/**
 * `raw` as FromWorkerSchema reads it, a `rows` message as the `commands` one
 * it lays out, or null when it is not part of the protocol. The messages
 * carrying commands, one per tick, get the schema's envelope check in plain
 * code instead of a zod parse: their commands are parsed by the state's
 * side, and once is enough.
 */
export function readFromWorker(raw: unknown): ReceivedFromWorker | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const { kind, commands, watching } = raw as Fields;
  if (kind === 'commands') return isDense(commands) && typeof watching === 'boolean' && hasKeys(raw, 3) ? (raw as CommandsMessage) : null;
  if (kind === 'rows') {
    const laidOut = commandsOfRows(raw);
    return laidOut === null ? null : { kind: 'commands', commands: laidOut, watching: watching as boolean };
  }
  const parsed = FromWorkerSchema.safeParse(raw);
  return parsed.success ? (parsed.data as ReceivedFromWorker) : null;
}

/**
 * The reply rows and versions of a message from the agent's side, or null
 * when it is not one. Only the envelope is checked: the state client checks
 * each reply as it receives it.
 */
export function readToWorker(raw: unknown): { replies: unknown[]; changed: unknown[] } | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const { kind, replies, changed } = raw as Fields;
  const rows = isDense(replies) && replies.length % REPLY_WIDTH === 0;
  return kind === 'batch' && rows && isDense(changed) && hasKeys(raw, 3) ? { replies, changed } : null;
}

/** The reply refusing the command `requestId` names because structured clone could not carry it (or its reply). */
export function uncloneableReply(requestId: unknown, error: unknown): StateReply {
  const { name, message } = error instanceof Error ? error : { name: 'DataCloneError', message: String(error) };
  return { type: 'state.reply', requestId: typeof requestId === 'string' ? requestId : null, ok: false, error: { name, message } };
}

/** The error structured clone throws for `value`, or null when it can carry it. */
export function cloneErrorOf(value: unknown): unknown {
  try {
    structuredClone(value);
    return null;
  } catch (error) {
    return error;
  }
}
