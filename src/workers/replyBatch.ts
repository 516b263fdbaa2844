import type { StateReply } from '../protocol.ts';
import { OncePerTick } from './oncePerTick.ts';
import { pushReply, replyAt, REPLY_WIDTH, type ReplyRows } from './replyRows.ts';
import { cloneErrorOf, uncloneableReply, type ToWorker } from './workerMessages.ts';

/**
 * What the agent's side posts to one worker: the replies to its commands,
 * in the order the state actor sent them, and the versions written while the
 * worker watches, gathered over one tick and posted as one message.
 */
export class ReplyBatch {
  readonly #post: (message: ToWorker) => void;
  #replies: ReplyRows = [];
  #changed: number[] = [];
  readonly #tick = new OncePerTick(() => this.#flush());

  constructor(post: (message: ToWorker) => void) {
    this.#post = post;
  }

  reply(reply: StateReply): void {
    pushReply(this.#replies, reply);
    this.#tick.schedule();
  }

  changed(version: number): void {
    this.#changed.push(version);
    this.#tick.schedule();
  }

  /** Drops what waits: the worker is gone. */
  close(): void {
    this.#tick.cancel();
    this.#replies = [];
    this.#changed = [];
  }

  #flush(): void {
    const message: ToWorker = { kind: 'batch', replies: this.#replies, changed: this.#changed };
    this.#replies = [];
    this.#changed = [];
    try {
      this.#post(message);
    } catch {
      // A reply structured clone cannot carry is answered with its DataCloneError instead: that request fails, the others are delivered.
      const replies: ReplyRows = [];
      for (let at = 0; at < message.replies.length; at += REPLY_WIDTH) {
        const reply = replyAt(message.replies, at) as StateReply;
        const error = cloneErrorOf(reply);
        pushReply(replies, error === null ? reply : uncloneableReply(reply.requestId, error));
      }
      this.#post({ ...message, replies });
    }
  }
}
