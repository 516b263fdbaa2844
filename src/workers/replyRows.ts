import type { StateReply } from '../protocol.ts';

/**
 * How the replies of one batch cross the MessagePort: flat, three values a
 * reply (its request id, `ok`, then its result or its error), in the order
 * the state actor sent them. Structured clone carries plain values for both
 * threads at a fraction of the cost of an object per reply, whose every key
 * it writes and rebuilds.
 */
export type ReplyRows = unknown[];

/** Values a reply takes in the rows. */
export const REPLY_WIDTH = 3;

/** Appends `reply` to `rows`. */
export function pushReply(rows: ReplyRows, reply: StateReply): void {
  rows.push(reply.requestId, reply.ok, reply.ok ? reply.result : reply.error);
}

/**
 * The reply the values at `at` stand for, as the state actor sent it, for the
 * state client to check (anything the rows carry that is not a reply, it ignores).
 */
export function replyAt(rows: readonly unknown[], at: number): unknown {
  const requestId = rows[at];
  const ok = rows[at + 1];
  return ok === true ? { type: 'state.reply', requestId, ok, result: rows[at + 2] } : { type: 'state.reply', requestId, ok, error: rows[at + 2] };
}
