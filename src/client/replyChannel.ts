import type { StateReply } from '../protocol.ts';

/**
 * Where the state answers its own facade: the state logic delivers to it
 * itself once the reply is due, so no other sender can answer in its place,
 * no request id appears where others read, and no actor hop is paid per
 * reply. An opaque token: what it delivers to is kept here, so one seen in
 * an inspector can be neither called nor forged.
 */
export type ReplyChannel = { readonly __replyChannel: unique symbol };

const receivers = new WeakMap<object, (reply: StateReply) => void>();

export function openReplyChannel(receive: (reply: StateReply) => void): ReplyChannel {
  const channel = Object.freeze(Object.create(null) as object) as ReplyChannel;
  receivers.set(channel, receive);
  return channel;
}

/** True only for a channel `openReplyChannel` made. Never throws. */
export function isReplyChannel(value: unknown): value is ReplyChannel {
  return typeof value === 'object' && value !== null && receivers.has(value);
}

/** Hands `reply` to the channel's receiver. */
export function deliverTo(channel: ReplyChannel, reply: StateReply): void {
  receivers.get(channel)?.(reply);
}
