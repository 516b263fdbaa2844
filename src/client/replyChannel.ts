import type { StateOutcome } from '../protocol.ts';

/** What a channel hands each answer to: the request id it answers, and how the command ended. */
export type ReplyReceiver = (requestId: string | null, outcome: StateOutcome) => void;

let opening = false;
let receiverOf: (value: unknown) => ReplyReceiver | undefined = () => undefined;

/**
 * Where the state answers its own facade: the state logic delivers to it
 * itself once the reply is due, so no other sender can answer in its place,
 * no request id appears where others read, and no actor hop or reply object
 * is paid per answer. An opaque token: what it delivers to is a private
 * field, so one seen in an inspector can be neither called nor forged, and
 * only `openReplyChannel` makes one.
 */
export class ReplyChannel {
  readonly #receive: ReplyReceiver;

  constructor(receive: ReplyReceiver) {
    if (!opening || new.target !== ReplyChannel) throw new TypeError('a ReplyChannel is made by openReplyChannel only');
    this.#receive = receive;
    Object.freeze(this);
  }

  static {
    // A private field's brand check: cheaper than a WeakMap lookup on every reply.
    receiverOf = (value) => (typeof value === 'object' && value !== null && #receive in value ? value.#receive : undefined);
  }
}
Object.freeze(ReplyChannel.prototype);
Object.freeze(ReplyChannel);

export function openReplyChannel(receive: ReplyReceiver): ReplyChannel {
  opening = true;
  try {
    return new ReplyChannel(receive);
  } finally {
    opening = false;
  }
}

/** True only for a channel `openReplyChannel` made. Never throws. */
export function isReplyChannel(value: unknown): value is ReplyChannel {
  return receiverOf(value) !== undefined;
}

/** Hands the answer to `requestId` to the channel's receiver. */
export function deliverTo(channel: ReplyChannel, requestId: string | null, outcome: StateOutcome): void {
  receiverOf(channel)?.(requestId, outcome);
}
