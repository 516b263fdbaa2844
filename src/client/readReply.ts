import type { StateReply } from '../protocol.ts';

type Fields = Record<string, unknown>;

/**
 * `event` as StateReplySchema reads it, or null when it is not a reply: the
 * same checks in plain code, since every reply an agent receives passes
 * here, and a zod parse of each showed in an agent's profile.
 * test/client/readReply.test.ts holds it to the schema. Never throws.
 */
export function readReply(event: unknown): StateReply | null {
  try {
    if (typeof event !== 'object' || event === null || Array.isArray(event)) return null;
    const { type, requestId, ok } = event as Fields;
    if (type !== 'state.reply' || (requestId !== null && typeof requestId !== 'string') || Object.keys(event).length !== 4) return null;
    if (ok === true) return 'result' in event ? (event as StateReply) : null;
    if (ok !== false || !('error' in event)) return null;
    const { error } = event as Fields;
    if (typeof error !== 'object' || error === null || Array.isArray(error)) return null;
    const { name, message } = error as Fields;
    return typeof name === 'string' && typeof message === 'string' ? (event as StateReply) : null;
  } catch {
    return null;
  }
}
