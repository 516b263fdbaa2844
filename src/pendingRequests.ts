import { errorFromPayload, type ThreadSafeStateError } from './errors.ts';
import type { StateReply } from './protocol.ts';

interface Pending {
  readonly requestId: string;
  resolve(result: unknown): void;
  reject(error: unknown): void;
}

/**
 * The facade's commands waiting for their reply. The mailbox answers them in
 * the order they were sent, so the next reply of ours always answers the
 * oldest open request: a queue, no lookup table. Ids carry a per-facade
 * prefix, so replies to other senders never match.
 */
export class PendingRequests {
  static #instances = 0;
  readonly #prefix = `concord-${PendingRequests.#instances++}:`;
  #queue: Pending[] = [];
  #head = 0;
  #next = 0;

  /** A fresh requestId and the promise its reply settles. */
  open<R>(): [requestId: string, reply: Promise<R>] {
    const requestId = this.#prefix + this.#next++;
    const reply = new Promise<R>((resolve, reject) => {
      this.#queue.push({ requestId, resolve: resolve, reject });
    });
    return [requestId, reply];
  }

  /** Settles the oldest open request if `reply` answers it; once `logged` resolves, when the command was logged. */
  settle(reply: StateReply, logged: Promise<void> | null): void {
    const pending = this.#queue[this.#head];
    if (pending === undefined || pending.requestId !== reply.requestId) return;
    this.#queue[this.#head++] = undefined as never;
    if (this.#head === this.#queue.length) {
      this.#queue = [];
      this.#head = 0;
    }
    if (!reply.ok) pending.reject(errorFromPayload(reply.error));
    else if (logged === null) pending.resolve(reply.result);
    else
      logged.then(
        () => pending.resolve(reply.result),
        (error: unknown) => pending.reject(error),
      );
  }

  /** Rejects one open request whose command was never delivered, wherever it is in the queue. */
  cancel(requestId: string, error: unknown): void {
    const index = this.#queue.findIndex((pending, i) => i >= this.#head && pending?.requestId === requestId);
    if (index < 0) return;
    const [pending] = this.#queue.splice(index, 1);
    pending?.reject(error);
  }

  /** Rejects every open request, for when the state stops with commands still queued. */
  rejectAll(error: ThreadSafeStateError): void {
    for (let i = this.#head; i < this.#queue.length; i++) this.#queue[i]?.reject(error);
    this.#queue = [];
    this.#head = 0;
  }
}
