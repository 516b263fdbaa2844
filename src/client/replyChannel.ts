import type { StateReply } from '../protocol.ts';

/**
 * Where the state answers its own facade: the state logic calls `deliver`
 * itself once the reply is due, so no other sender can answer in its place,
 * no request id appears where others read, and no actor hop is paid per
 * reply. Recognised by membership in a private set, never by shape.
 */
export interface ReplyChannel {
  readonly deliver: (reply: StateReply) => void;
}

const channels = new WeakSet<object>();

export function openReplyChannel(deliver: (reply: StateReply) => void): ReplyChannel {
  const channel: ReplyChannel = Object.freeze({ deliver });
  channels.add(channel);
  return channel;
}

/** True only for a channel `openReplyChannel` made. Never throws. */
export function isReplyChannel(value: unknown): value is ReplyChannel {
  return typeof value === 'object' && value !== null && channels.has(value);
}
