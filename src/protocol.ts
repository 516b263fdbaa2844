import { Actor, type AnyActorRef } from 'xstate';
import { z } from 'zod';
import { GrantSchema } from './access/grants.ts';
import type { ErrorPayload } from './errors.ts';
import { isReplyChannel, type ReplyChannel } from './client/replyChannel.ts';
import { StateKeySchema, VersionSchema } from './schemas.ts';

/**
 * The only way into the state: command events, each validated before it
 * touches anything, and the `state.reply` every command is answered with.
 * A command with `replyTo` is answered there; one without is answered on the
 * snapshot that follows it, as `context.lastReply`, which is how the facade
 * reads its replies (cheaper than an emitted event). Values in replies are copies: no agent can reach a stored object.
 */

/**
 * Whether `value` is an actor XState made: an Actor with the identity and
 * system every one gets when it is created, which a look-alike made from its
 * prototype (`Object.create(Actor.prototype)`) lacks. Never throws.
 */
export function isActorRef(value: unknown): value is AnyActorRef {
  try {
    if (!(value instanceof Actor)) return false;
    const { sessionId, system } = value as { sessionId?: unknown; system?: { get?: unknown } };
    return typeof sessionId === 'string' && typeof system === 'object' && system !== null && typeof system.get === 'function';
  } catch {
    return false;
  }
}

/** A live XState actor to send the reply to. Only real actors: a look-alike would break the mailbox. */
export const ActorRefSchema = z.custom<AnyActorRef>(isActorRef, {
  message: 'replyTo must be an XState actor ref (from createActor, spawn or system.get)',
});

/** An immer recipe: mutate the draft, or return the next value. */
export type Recipe<V = unknown> = (draft: V) => V | void | undefined;

const RecipeSchema = z.custom<Recipe>((value) => typeof value === 'function', {
  message: 'recipe must be a function (draft) => void | nextValue',
});

/** A plain object of key -> value; zod's record would silently drop an own `__proto__` key. */
const ValuesSchema = z.custom<Record<string, unknown>>(
  (value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
    const proto: unknown = Object.getPrototypeOf(value);
    return proto === Object.prototype || proto === null;
  },
  { message: 'values must be a plain object of key -> value' },
);

/** Where a command's reply goes: an actor, or the facade's own reply channel. */
const ReplyToSchema = z.custom<AnyActorRef | ReplyChannel>((value) => isActorRef(value) || isReplyChannel(value), {
  message: 'replyTo must be an XState actor ref (from createActor, spawn or system.get)',
});

const commandFields = {
  /** Echoed in the reply, to match it to its command. */
  requestId: z.string().optional(),
  replyTo: ReplyToSchema.optional(),
  /** The agent or step making the change; recorded in history. A command with a grant is recorded as its agent's, whatever it says. */
  changedBy: z.string().optional(),
  /** Set by an agent's handle or its actor (forAgent): who acts, and which keys it may read and write. */
  grant: GrantSchema.optional(),
};

const writeFields = {
  ...commandFields,
  /** Apply only if the state is at this version, else StateConflictError (compare-and-swap). */
  expectedVersion: VersionSchema.optional(),
  /** When the command was made (ms since epoch); stamped by the state's clock when absent. */
  timestamp: z.number().finite().optional(),
};

/** Compare-and-swap on one key: apply only if the key's last write is this version (`keyVersion`), else StateKeyConflictError. */
const expectedKeyVersion = VersionSchema.optional();

/** Per key of an update: a plain object of key -> the version its last write must be; an own `__proto__` key stays a key. */
const KeyVersionsSchema = z.custom<Record<string, number>>(
  (value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return false;
    return Object.values(value).every((version) => Number.isSafeInteger(version) && (version as number) >= 0);
  },
  { message: 'expectedKeyVersions must be a plain object of key -> version (an integer >= 0)' },
);

/** The options a write takes from its caller (`WriteOptions`), checked as the commands check those fields; other keys are ignored. */
export const WriteOptionsSchema = z.object({ changedBy: writeFields.changedBy, expectedVersion: writeFields.expectedVersion });

/** Sets one key. Replies with the new version. */
export const SetCommandSchema = z.strictObject({ type: z.literal('state.set'), key: StateKeySchema, value: z.unknown(), expectedKeyVersion, ...writeFields });
/** Sets several keys in one version. Replies with the new version. */
export const UpdateCommandSchema = z.strictObject({
  type: z.literal('state.update'),
  values: ValuesSchema,
  expectedKeyVersions: KeyVersionsSchema.optional(),
  ...writeFields,
});
/** Deletes one key. Replies with true, or false (and no new version) when it was absent. */
export const DeleteCommandSchema = z.strictObject({ type: z.literal('state.delete'), key: StateKeySchema, expectedKeyVersion, ...writeFields });
/** Deletes every key. Replies with the version after it. */
export const ClearCommandSchema = z.strictObject({ type: z.literal('state.clear'), ...writeFields });
/** Atomic read-modify-write with an immer recipe, run inside the mailbox. Replies with the new value. */
export const ModifyCommandSchema = z.strictObject({
  type: z.literal('state.modify'),
  key: StateKeySchema,
  recipe: RecipeSchema,
  /** The draft's starting value when the key is absent. */
  default: z.unknown().optional(),
  expectedKeyVersion,
  ...writeFields,
});
/** Restores the content of an earlier version as a new version. Replies with the new version. */
export const RollbackCommandSchema = z.strictObject({ type: z.literal('state.rollback'), version: z.number().int(), ...writeFields });
/** Restores the newest known-good version still in the history window, as a new version. Replies with the version after it. */
export const RollbackToKnownGoodCommandSchema = z.strictObject({ type: z.literal('state.rollbackToKnownGood'), ...writeFields });
/** Keeps only `keys`, deleting every other key in one version (the reference's recoverFromCorruptedState). Replies with the version after it. */
export const RetainCommandSchema = z.strictObject({ type: z.literal('state.retain'), keys: z.array(StateKeySchema), ...writeFields });
/** Records the current version as known good; makes no version. Replies with the version marked. */
export const MarkKnownGoodCommandSchema = z.strictObject({
  type: z.literal('state.markKnownGood'),
  label: z.string().optional(),
  timestamp: writeFields.timestamp,
  ...commandFields,
});
/** Reads one key. Replies with a copy of its value, or `default` when absent. */
export const GetCommandSchema = z.strictObject({ type: z.literal('state.get'), key: StateKeySchema, default: z.unknown().optional(), ...commandFields });
/** Reads every key, at the current or an earlier version. Replies with a copy of the snapshot. */
export const SnapshotCommandSchema = z.strictObject({ type: z.literal('state.snapshot'), version: z.number().int().optional(), ...commandFields });
/** Reads history records, newest first. */
export const HistoryCommandSchema = z.strictObject({
  type: z.literal('state.history'),
  key: StateKeySchema.optional(),
  limit: z.number().int().nonnegative().optional(),
  ...commandFields,
});
/** Drops every history record; the current version becomes the oldest reachable one. */
export const ClearHistoryCommandSchema = z.strictObject({ type: z.literal('state.clearHistory'), ...commandFields });
/** Reads the metrics. */
export const MetricsCommandSchema = z.strictObject({ type: z.literal('state.metrics'), ...commandFields });
/** Reads the version of a key's last write (0 for a key never written). */
export const KeyVersionCommandSchema = z.strictObject({ type: z.literal('state.keyVersion'), key: StateKeySchema, ...commandFields });
/** Reads the current version. */
export const VersionCommandSchema = z.strictObject({ type: z.literal('state.version'), ...commandFields });

/** Every command the state actor accepts. */
export const StateCommandSchema = z.discriminatedUnion('type', [
  SetCommandSchema,
  UpdateCommandSchema,
  DeleteCommandSchema,
  ClearCommandSchema,
  ModifyCommandSchema,
  RollbackCommandSchema,
  RollbackToKnownGoodCommandSchema,
  RetainCommandSchema,
  MarkKnownGoodCommandSchema,
  GetCommandSchema,
  SnapshotCommandSchema,
  HistoryCommandSchema,
  ClearHistoryCommandSchema,
  MetricsCommandSchema,
  VersionCommandSchema,
  KeyVersionCommandSchema,
]);
/** @see StateCommandSchema */
export type StateCommand = z.infer<typeof StateCommandSchema>;
/** The `type` of every command. */
export type StateCommandType = StateCommand['type'];
/** The command of one `type`. */
export type CommandOf<K extends StateCommandType> = Extract<StateCommand, { type: K }>;
/** Commands that change the state. */
export type WriteCommand = CommandOf<
  'state.set' | 'state.update' | 'state.delete' | 'state.clear' | 'state.modify' | 'state.rollback' | 'state.rollbackToKnownGood' | 'state.retain'
>;

/** The plain form of an error in a reply: its class name, message and structured fields. */
export const ErrorPayloadSchema = z.looseObject({ name: z.string(), message: z.string() });

/** The answer to every command: sent to `replyTo`, and always left on the snapshot as `context.lastReply`. */
export const StateReplySchema = z.discriminatedUnion('ok', [
  z.strictObject({ type: z.literal('state.reply'), requestId: z.string().nullable(), ok: z.literal(true), result: z.unknown() }),
  z.strictObject({ type: z.literal('state.reply'), requestId: z.string().nullable(), ok: z.literal(false), error: ErrorPayloadSchema }),
]);
/** @see StateReplySchema */
export type StateReply = z.infer<typeof StateReplySchema>;
/** What a reply says, without its request id: how a command ended. */
export type StateOutcome = { readonly ok: true; readonly result: unknown } | { readonly ok: false; readonly error: ErrorPayload };

/**
 * What the actor turns any event it cannot read into (null, a number, an
 * object without a string `type`), so that it is answered with an error
 * instead of crashing the mailbox.
 */
export interface MalformedEvent {
  readonly type: 'state.malformed';
  readonly received: unknown;
  /** What was wrong with it, for the error reply. */
  readonly reason: string;
}
