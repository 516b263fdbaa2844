import type { ReplyChannel } from '../client/replyChannel.ts';
import { grantOfOptions, type Grant } from '../access/grants.ts';
import { unknownOptions } from '../options.ts';
import { WriteOptionsSchema } from '../protocol.ts';
import type { WriteOptions } from '../threadSafeState.ts';

/**
 * A `set` the facade built from arguments it checked itself, so the actor
 * need not parse it again (docs/performance.md says what that saves). Recognised by a
 * private field, which no other code can give an object; and only this
 * module can make one: the class refuses `new` from outside (even through an
 * instance's `constructor`) and subclasses, and it and its prototype are
 * frozen, so nothing can be added to what every instance inherits. Each is
 * taken once, and frozen, so nothing changes it on its way through the mailbox.
 */
let minting = false;
let take: (event: unknown) => boolean = () => false;
let isFresh: (event: unknown) => boolean = () => false;

export class CheckedSet {
  readonly type = 'state.set';
  #fresh = true;

  constructor(
    readonly key: string,
    readonly value: unknown,
    readonly timestamp: number,
    readonly requestId: string,
    readonly changedBy: string | undefined,
    readonly expectedVersion: number | undefined,
    /** Where the reply goes: the facade's own inbox. */
    readonly replyTo: ReplyChannel,
    /** The agent's, when the set came through its handle. */
    readonly grant: Grant | undefined,
  ) {
    if (!minting || new.target !== CheckedSet) throw new TypeError('a CheckedSet is made by the facade only');
    Object.freeze(this);
  }

  static {
    isFresh = (event) => typeof event === 'object' && event !== null && #fresh in event && event.#fresh;
    take = (event) => {
      if (typeof event !== 'object' || event === null || !(#fresh in event) || !event.#fresh) return false;
      event.#fresh = false;
      return true;
    };
  }
}
Object.freeze(CheckedSet.prototype);
Object.freeze(CheckedSet);

/** A write's options, already checked against the commands' own field schemas. */
export interface CheckedWriteOptions {
  readonly changedBy?: string | undefined;
  readonly expectedVersion?: number | undefined;
  readonly grant?: Grant | undefined;
}

const NO_OPTIONS: CheckedWriteOptions = Object.freeze({});

/**
 * A write's options as the actor would accept them, or null when they are not
 * (or cannot be read): such a write takes the path where an unknown field is
 * refused, and the actor parses the whole command and answers with its typed error.
 */
export function checkedOptions(options: WriteOptions | undefined): CheckedWriteOptions | null {
  if (options === undefined) return NO_OPTIONS;
  try {
    const parsed = WriteOptionsSchema.safeParse(options);
    // The field schemas drop what they do not name: a misspelled field must not reach the actor as a valid write.
    if (!parsed.success || unknownOptions(options, WriteOptionsSchema) !== null) return null;
    const grant = grantOfOptions(options);
    return grant === undefined ? parsed.data : { ...parsed.data, grant };
  } catch {
    return null;
  }
}

/** Makes the facade's checked `set`. */
export function checkedSet(key: string, value: unknown, timestamp: number, requestId: string, options: CheckedWriteOptions, replyTo: ReplyChannel): CheckedSet {
  minting = true;
  try {
    return new CheckedSet(key, value, timestamp, requestId, options.changedBy, options.expectedVersion, replyTo, options.grant);
  } finally {
    minting = false;
  }
}

/** True for a command `checkedSet` made and not yet taken, without taking it: frozen, of the facade's own making, it needs no copy at the entry. */
export function isCheckedSet(event: unknown): event is CheckedSet {
  return isFresh(event);
}

/** True, once, for a command `checkedSet` made. */
export function takeChecked(event: unknown): event is CheckedSet {
  return take(event);
}
