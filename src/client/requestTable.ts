import { errorFromPayload, StateTimeoutError } from '../errors.ts';
import type { StateOutcome, StateReply } from '../protocol.ts';

interface Pending {
  readonly requestId: string;
  readonly type: string;
  readonly deadline: number;
  resolve(result: unknown): void;
  reject(error: unknown): void;
}

/** The settling functions of the promise made last: one executor for every request, where a closure each cost the hot path an allocation. */
const settlers: { resolve: (result: never) => void; reject: (error: unknown) => void } = { resolve: () => undefined, reject: () => undefined };
function keepSettlers(resolve: (result: never) => void, reject: (error: unknown) => void): void {
  settlers.resolve = resolve;
  settlers.reject = reject;
}

/** Past this many settled slots at its front, the queue drops them (a request left pending long keeps the rest from emptying it). */
const COMPACT_AFTER = 1024;

/**
 * A client's commands waiting for their reply, the facade's and agents'
 * alike: each reply settles the request whose id it carries, in whatever
 * order replies come. An id is a random prefix per table, so no other
 * sender can guess one, and a sequence number, which indexes a queue: no
 * hashing on the way (docs/performance.md).
 * With a timeout, one timer serves every pending request: they all wait as
 * long, so the oldest is always the first to expire.
 */
export class RequestTable {
  readonly #prefix: string;
  readonly #timeoutMs: number | null;
  /** Pending requests by sequence number minus `#base`; settled ones leave a hole. */
  #queue: (Pending | undefined)[] = [];
  #base = 0;
  /** Index of the oldest request still pending, when any is. */
  #head = 0;
  #size = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** `owner` starts every id (an agent's id, say), for whoever reads them in an inspector. */
  constructor(owner: string, timeoutMs: number | null = null) {
    this.#prefix = `${owner}#${crypto.randomUUID()}:`;
    this.#timeoutMs = timeoutMs;
  }

  get size(): number {
    return this.#size;
  }

  /** A fresh requestId, and the promise its reply settles; `type` names the command in a timeout's message. */
  open<R>(type = 'a command'): [requestId: string, reply: Promise<R>] {
    const requestId = this.#prefix + (this.#base + this.#queue.length);
    const deadline = this.#timeoutMs === null ? Infinity : Date.now() + this.#timeoutMs;
    const reply = new Promise<R>(keepSettlers);
    this.#queue.push({ requestId, type, deadline, resolve: settlers.resolve, reject: settlers.reject });
    this.#size++;
    if (this.#timeoutMs !== null) {
      // One timer for the table, left armed while it idles (unref'd): one request after another does not set and clear one each.
      if (this.#timer === undefined) this.#timer = setTimeout(() => this.#expire(), this.#timeoutMs);
      else if (this.#size === 1) this.#timer.ref();
    }
    return [requestId, reply];
  }

  /**
   * Settles the request `reply` answers, once `logged` resolves when its
   * command was logged; false when it answers none of this table's.
   */
  settle(reply: StateReply, logged: Promise<void> | null = null): boolean {
    return this.answer(reply.requestId, reply, logged);
  }

  /** `settle` for an answer that comes as its request id and outcome, with no reply object (the facade's own channel). */
  answer(requestId: string | null, outcome: StateOutcome, logged: Promise<void> | null = null): boolean {
    const pending = this.#take(this.#indexOf(requestId));
    if (pending === undefined) return false;
    if (!outcome.ok) pending.reject(errorFromPayload(outcome.error));
    else if (logged === null) pending.resolve(outcome.result);
    else
      logged.then(
        () => pending.resolve(outcome.result),
        (error: unknown) => pending.reject(error),
      );
    return true;
  }

  /** Rejects one request whose command was never delivered. */
  cancel(requestId: string, error: unknown): void {
    this.#take(this.#indexOf(requestId))?.reject(error);
  }

  /** Rejects every open request: the state stopped, or the client closed. */
  rejectAll(reason: unknown): void {
    const pending = this.#queue.slice(this.#head);
    this.#reset();
    for (const request of pending) request?.reject(reason);
  }

  /**
   * The queue index an id of this table names, or -1. Replies mostly come in
   * the order sent, and comparing with the oldest's own id is cheaper than
   * reading the id's digits.
   */
  #indexOf(requestId: string | null): number {
    if (requestId === this.#queue[this.#head]?.requestId) return this.#head;
    if (requestId === null || !requestId.startsWith(this.#prefix)) return -1;
    let sequence = 0;
    for (let i = this.#prefix.length; i < requestId.length; i++) {
      const digit = requestId.charCodeAt(i) - 48;
      if (digit < 0 || digit > 9) return -1;
      sequence = sequence * 10 + digit;
    }
    return requestId.length === this.#prefix.length ? -1 : sequence - this.#base;
  }

  /** Removes and returns the request at `index`, if it is still pending. */
  #take(index: number): Pending | undefined {
    const pending = index >= this.#head ? this.#queue[index] : undefined;
    if (pending === undefined) return undefined;
    this.#queue[index] = undefined;
    if (--this.#size === 0) {
      this.#reset();
      return pending;
    }
    while (this.#queue[this.#head] === undefined) this.#head++;
    if (this.#head > COMPACT_AFTER && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#base += this.#head;
      this.#head = 0;
    }
    return pending;
  }

  /** Empties the queue; the sequence goes on, and the timer, still armed, keeps no process alive. */
  #reset(): void {
    this.#base += this.#queue.length;
    this.#queue = [];
    this.#head = 0;
    this.#size = 0;
    this.#timer?.unref();
  }

  /** Rejects every request past its deadline, oldest first, and waits for the next one's. */
  #expire(): void {
    this.#timer = undefined;
    const now = Date.now();
    while (this.#size > 0) {
      const oldest = this.#queue[this.#head] as Pending;
      if (oldest.deadline > now) {
        this.#timer = setTimeout(() => this.#expire(), oldest.deadline - now);
        return;
      }
      this.#take(this.#head)?.reject(new StateTimeoutError(this.#timeoutMs as number, oldest.type));
    }
  }
}
