import { errorFromPayload, StateTimeoutError } from '../errors.ts';
import type { StateReply } from '../protocol.ts';

interface Pending {
  readonly type: string;
  readonly deadline: number;
  resolve(result: unknown): void;
  reject(error: unknown): void;
}

/**
 * A client's commands waiting for their reply, the facade's and agents'
 * alike: each reply settles the request whose id it carries, in whatever
 * order replies come. Ids start with a random prefix per table, so no other
 * sender can guess one and answer it. With a timeout, one timer serves every
 * pending request: they all wait as long, so the oldest is always the first
 * to expire.
 */
export class RequestTable {
  readonly #prefix: string;
  readonly #timeoutMs: number | null;
  readonly #pending = new Map<string, Pending>();
  #next = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** `owner` starts every id (an agent's id, say), for whoever reads them in an inspector. */
  constructor(owner: string, timeoutMs: number | null = null) {
    this.#prefix = `${owner}#${crypto.randomUUID()}:`;
    this.#timeoutMs = timeoutMs;
  }

  get size(): number {
    return this.#pending.size;
  }

  /** A fresh requestId, and the promise its reply settles; `type` names the command in a timeout's message. */
  open<R>(type = 'a command'): [requestId: string, reply: Promise<R>] {
    const requestId = this.#prefix + this.#next++;
    const reply = new Promise<R>((resolve, reject) => {
      const deadline = this.#timeoutMs === null ? Infinity : Date.now() + this.#timeoutMs;
      this.#pending.set(requestId, { type, deadline, resolve, reject });
    });
    if (this.#timeoutMs !== null) this.#timer ??= setTimeout(() => this.#expire(), this.#timeoutMs);
    return [requestId, reply];
  }

  /**
   * Settles the request `reply` answers, once `logged` resolves when its
   * command was logged; false when it answers none of this table's.
   */
  settle(reply: StateReply, logged: Promise<void> | null = null): boolean {
    const pending = reply.requestId === null ? undefined : this.#pending.get(reply.requestId);
    if (pending === undefined) return false;
    this.#delete(reply.requestId as string);
    if (!reply.ok) pending.reject(errorFromPayload(reply.error));
    else if (logged === null) pending.resolve(reply.result);
    else
      logged.then(
        () => pending.resolve(reply.result),
        (error: unknown) => pending.reject(error),
      );
    return true;
  }

  /** Rejects one request whose command was never delivered. */
  cancel(requestId: string, error: unknown): void {
    const pending = this.#pending.get(requestId);
    if (pending === undefined) return;
    this.#delete(requestId);
    pending.reject(error);
  }

  /** Rejects every open request: the state stopped, or the client closed. */
  rejectAll(reason: unknown): void {
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const request of pending) request.reject(reason);
  }

  #delete(requestId: string): void {
    this.#pending.delete(requestId);
    // Nothing left to time out: no timer keeps the process alive.
    if (this.#pending.size === 0 && this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
  }

  /** Rejects every request past its deadline, oldest first, and waits for the next one's. */
  #expire(): void {
    this.#timer = undefined;
    const now = Date.now();
    for (const [requestId, pending] of this.#pending) {
      if (pending.deadline > now) {
        this.#timer = setTimeout(() => this.#expire(), pending.deadline - now);
        return;
      }
      this.#pending.delete(requestId);
      pending.reject(new StateTimeoutError(this.#timeoutMs as number, pending.type));
    }
  }
}
