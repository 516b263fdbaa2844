import { z } from 'zod';
import { ErrorPayloadSchema, StateReplySchema, type StateReply } from '../protocol.ts';

/**
 * What crosses the MessagePort between a worker agent and the state's side:
 * one message per side per turn of the event loop. The commands inside are
 * validated by the state actor itself, like any other.
 */
export const FromWorkerSchema = z.discriminatedUnion('kind', [
  /** The commands the worker issued in one tick, in order; `watching`: whether it wants change notices from now on. */
  z.strictObject({ kind: z.literal('commands'), commands: z.array(z.unknown()), watching: z.boolean() }),
  z.strictObject({ kind: z.literal('done'), output: z.unknown() }),
  z.strictObject({ kind: z.literal('failed'), error: ErrorPayloadSchema }),
]);
/** @see FromWorkerSchema */
export type FromWorker = z.infer<typeof FromWorkerSchema>;
/** The message carrying a worker's commands. */
export type CommandsMessage = Extract<FromWorker, { kind: 'commands' }>;

/** The replies to one port's commands and the versions written since the last message (to a watching worker), in one message per tick. */
export const ToWorkerSchema = z.strictObject({ kind: z.literal('batch'), replies: z.array(StateReplySchema), changed: z.array(z.number()) });
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

/**
 * `raw` as FromWorkerSchema reads it, or null when it is not part of the
 * protocol. A `commands` message, one per tick, gets the schema's envelope
 * check in plain code instead of a zod parse: its commands are parsed by the
 * state actor, and once is enough.
 */
export function readFromWorker(raw: unknown): FromWorker | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const { kind, commands, watching } = raw as Fields;
  if (kind === 'commands') return isDense(commands) && typeof watching === 'boolean' && hasKeys(raw, 3) ? (raw as CommandsMessage) : null;
  const parsed = FromWorkerSchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

/**
 * The replies and versions of a message from the agent's side, or null when
 * it is not one. Only the envelope is checked: the state client checks each
 * reply as it receives it.
 */
export function readToWorker(raw: unknown): { replies: unknown[]; changed: unknown[] } | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const { kind, replies, changed } = raw as Fields;
  return kind === 'batch' && isDense(replies) && isDense(changed) && hasKeys(raw, 3) ? { replies, changed } : null;
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
