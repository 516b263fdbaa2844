/**
 * Runs `flush` once, at the end of this turn of the event loop, however
 * often `schedule` is called before then: what one side of a MessagePort has
 * to say in one tick goes in one message. A `setImmediate` rather than a
 * microtask, so that what promise chains add after the first item (the next
 * command, sent when a reply settles the last) and the messages still
 * waiting on the port (other workers' commands) make the same message.
 */
export class OncePerTick {
  readonly #flush: () => void;
  #pending: ReturnType<typeof setImmediate> | undefined;

  constructor(flush: () => void) {
    this.#flush = flush;
  }

  schedule(): void {
    this.#pending ??= setImmediate(this.#run);
  }

  /** Flushes at once what waits: before a last message, which must not overtake it. */
  now(): void {
    this.cancel();
    this.#flush();
  }

  /** Drops the pending flush, if any. */
  cancel(): void {
    if (this.#pending === undefined) return;
    clearImmediate(this.#pending);
    this.#pending = undefined;
  }

  readonly #run = () => {
    this.#pending = undefined;
    this.#flush();
  };
}
