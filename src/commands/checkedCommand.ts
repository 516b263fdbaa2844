/**
 * A `set` the facade built from arguments it checked itself, so the actor
 * need not parse it again (the parse was a tenth of a write). Recognised by a
 * private field, which only this class can give an object: a field anyone
 * can read could be copied onto a forged command. Each is taken once, so a
 * captured command sent again is parsed like any other; and it is frozen, so
 * nothing changes it on its way through the mailbox.
 */
export class CheckedSet {
  readonly type = 'state.set';
  #fresh = true;

  constructor(
    readonly key: string,
    readonly value: unknown,
    readonly timestamp: number,
    readonly requestId: string,
  ) {
    Object.freeze(this);
  }

  /** True, once, for a command the facade made. */
  static take(event: unknown): event is CheckedSet {
    if (typeof event !== 'object' || event === null || !(#fresh in event) || !event.#fresh) return false;
    event.#fresh = false;
    return true;
  }
}
