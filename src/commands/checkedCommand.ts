import type { AnyActorRef } from 'xstate';
import type { ReplyChannel } from '../client/replyChannel.ts';
import { grantOfOptions, type Grant } from '../access/grants.ts';
import { SetCommandSchema, WriteOptionsSchema } from '../protocol.ts';
import type { WriteOptions } from '../threadSafeState.ts';

/**
 * A `set` the facade built from arguments it checked itself, or one read
 * from a worker's message by the same checks as its schema, so the actor
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
    /** Stamped by the state's clock when undefined. */
    readonly timestamp: number | undefined,
    readonly requestId: string,
    readonly changedBy: string | undefined,
    readonly expectedVersion: number | undefined,
    /** Where the reply goes: the facade's own inbox, or the worker agent's actor. */
    readonly replyTo: ReplyChannel | AnyActorRef,
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

const isVersion = (value: unknown) => Number.isSafeInteger(value) && (value as number) >= 0;

/** The fields WriteOptionsSchema names: any other sends the write down the path that refuses it. */
const OPTION_FIELDS: ReadonlySet<string> = new Set(Object.keys(WriteOptionsSchema.shape));

/**
 * A write's options as the actor would accept them, or null when they are not
 * (or cannot be read): such a write takes the path where an unknown field is
 * refused, and the actor parses the whole command and answers with its typed
 * error. Checked in plain code by WriteOptionsSchema's rules, every field
 * read once, instead of a zod parse and a second walk for unknown fields on
 * every write with options; test/input/checkedOptions.test.ts holds it to the schema.
 */
export function checkedOptions(options: WriteOptions | undefined): CheckedWriteOptions | null {
  if (options === undefined) return NO_OPTIONS;
  try {
    if (typeof options !== 'object' || options === null || Array.isArray(options)) return null;
    // for...in, as unknownOptions reads options: inherited enumerable fields count too.
    for (const field in options) if (!OPTION_FIELDS.has(field)) return null;
    const { changedBy, expectedVersion } = options;
    if (changedBy !== undefined && typeof changedBy !== 'string') return null;
    if (expectedVersion !== undefined && !isVersion(expectedVersion)) return null;
    return { changedBy, expectedVersion, grant: grantOfOptions(options) };
  } catch {
    return null;
  }
}

/** Makes the facade's checked `set`. */
export function checkedSet(key: string, value: unknown, timestamp: number, requestId: string, options: CheckedWriteOptions, replyTo: ReplyChannel): CheckedSet {
  return mint(key, value, timestamp, requestId, options.changedBy, options.expectedVersion, replyTo, options.grant);
}

/** The fields SetCommandSchema names: any other makes the schema refuse the command. */
const SET_FIELDS: ReadonlySet<string> = new Set(Object.keys(SetCommandSchema.shape));

/**
 * `raw`, a structured clone of a command only this thread holds (a worker
 * agent's), as a checked `set` answered to `replyTo`, when SetCommandSchema
 * would accept it (each field read once, checked in plain code: a zod parse
 * of every command showed in the workers' profile) and it carries no field a
 * CheckedSet lacks; else null, and the actor parses it and answers with its
 * typed error. test/workers/checkedSetOf.test.ts holds it to the schema.
 * The `replyTo` it came with is replaced, as the port's side always does. Never throws.
 */
export function checkedSetOf(raw: unknown, replyTo: AnyActorRef): CheckedSet | null {
  try {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || !Object.hasOwn(raw, 'value')) return null;
    const { type, key, value, requestId, changedBy, expectedVersion, timestamp, expectedKeyVersion, grant } = raw as Record<string, unknown>;
    if (type !== 'state.set' || typeof key !== 'string' || key === '' || typeof requestId !== 'string') return null;
    if (changedBy !== undefined && typeof changedBy !== 'string') return null;
    if (expectedVersion !== undefined && !isVersion(expectedVersion)) return null;
    if (timestamp !== undefined && !(typeof timestamp === 'number' && Number.isFinite(timestamp))) return null;
    // A key version and a grant are not a CheckedSet's (a worker's grant is never a real one): the schema's path answers them.
    if (expectedKeyVersion !== undefined || grant !== undefined) return null;
    for (const field of Object.keys(raw)) if (!SET_FIELDS.has(field)) return null;
    return mint(key, value, timestamp, requestId, changedBy, expectedVersion as number | undefined, replyTo, undefined);
  } catch {
    return null;
  }
}

function mint(...fields: ConstructorParameters<typeof CheckedSet>): CheckedSet {
  minting = true;
  try {
    return new CheckedSet(...fields);
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
