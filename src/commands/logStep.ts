import { z } from 'zod';
import { ChangeOperationSchema, KnownGoodMarkSchema, StateChangeRecordSchema, StateKeySchema, VersionSchema, type StateChangeRecord } from '../schemas.ts';
import type { KnownGoodMarks } from '../history/knownGoodMarks.ts';
import type { ChangeHistory } from '../history/changeHistory.ts';
import { ABSENT, type VersionedStore } from '../store/versionedStore.ts';
import { toStorable } from '../values/storable.ts';
import { commit } from './commit.ts';
import type { Commit, StateEngine } from './stateEngine.ts';

/**
 * What a committed write hands the log: its version, who and when, and each
 * key's operation and new value. A `modify` logs its result, so no recipe
 * ever crosses a boundary; replaying the effects in order rebuilds the same
 * contents, versions and history.
 */
export const LogEffectSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('commit'),
    version: VersionSchema,
    timestamp: z.number(),
    changedBy: z.string().nullable(),
    /** `value` is left out when the key no longer exists. */
    changes: z.array(z.object({ key: StateKeySchema, operation: ChangeOperationSchema, exists: z.boolean(), value: z.unknown().optional() })),
  }),
  z.object({ kind: z.literal('clearHistory'), version: VersionSchema }),
  z.object({ kind: z.literal('markKnownGood'), version: VersionSchema, label: z.string().nullable(), timestamp: z.number() }),
]);
/** @see LogEffectSchema */
export type LogEffect = z.infer<typeof LogEffectSchema>;

/** The whole state at one version, as a log's snapshot holds it. */
export const StateImageSchema = z.object({
  version: VersionSchema,
  /** The oldest version the history still reaches. */
  floor: VersionSchema,
  entries: z.array(z.tuple([StateKeySchema, z.unknown()])),
  /** The history window, oldest first. */
  history: z.array(StateChangeRecordSchema),
  /** The known-good marks inside the window, oldest first. */
  marks: z.array(KnownGoodMarkSchema),
  /** Each key's last write (see keyVersion); an image written before they were kept has none, and its keys are at its version. */
  keyVersions: z.array(z.tuple([StateKeySchema, VersionSchema])).optional(),
});
/** @see StateImageSchema */
export type StateImage = z.infer<typeof StateImageSchema>;

/** An image read back (from a journal or a persisted snapshot), checked, its values made the store's private frozen copies. */
export function parseImage(decoded: unknown): StateImage {
  const image = StateImageSchema.parse(decoded);
  return {
    ...image,
    entries: image.entries.map(([key, value]): [string, unknown] => [key, toStorable(key, value)]),
    history: image.history.map((record) => ({
      ...record,
      oldValue: toStorable(record.key, record.oldValue),
      newValue: toStorable(record.key, record.newValue),
    })),
  };
}

/** What the log step can read of the state when it takes a version: enough to write a snapshot of it. */
export interface LoggedState {
  readonly store: VersionedStore;
  readonly history: ChangeHistory;
  readonly marks: KnownGoodMarks;
}

/**
 * The last step of the write pipeline (check, plan, commit, log, reply): a
 * write is acknowledged only once `append` has resolved. A log that has
 * failed refuses every later write before anything is applied.
 */
export interface WriteLog {
  append(effect: LogEffect, state: LoggedState): Promise<void>;
  /** Why the log takes no more writes, or null. */
  refusal(): Error | null;
}

export function commitEffect({ version, records }: Commit): LogEffect {
  const first = records[0] as StateChangeRecord;
  return {
    kind: 'commit',
    version,
    timestamp: first.timestamp,
    changedBy: first.changedBy,
    changes: records.map(({ key, operation, existsAfter, newValue }) =>
      existsAfter ? { key, operation, exists: true, value: newValue } : { key, operation, exists: false },
    ),
  };
}

export function imageOf(version: number, { store, history, marks }: LoggedState): StateImage {
  return {
    version,
    floor: history.floor,
    entries: store.keys().map((key) => [key, store.latest(key)]),
    history: history.newestFirst().reverse(),
    marks: marks.within(history.floor),
    keyVersions: store.keyVersions(),
  };
}

/** Loads an image into fresh containers: the values, then the history window exactly as it was. */
export function loadImage(context: Pick<StateEngine, 'store' | 'history' | 'marks'>, image: StateImage): void {
  for (const [key, value] of image.entries) context.store.write(key, image.version, value);
  context.store.startAt(image.version);
  if (image.keyVersions !== undefined) context.store.restoreKeyVersions(image.keyVersions);
  context.history.dropAll(image.floor);
  let group: StateChangeRecord[] = [];
  for (const record of image.history) {
    if (group.length > 0 && (group[0] as StateChangeRecord).version !== record.version) {
      context.history.append(group, (group[0] as StateChangeRecord).version);
      group = [];
    }
    group.push(Object.freeze({ ...record }));
  }
  if (group.length > 0) context.history.append(group, (group[0] as StateChangeRecord).version);
  for (const mark of image.marks) context.marks.add(mark);
}

/** Applies one logged effect again, as the write that made it did. */
export function replayEffect(engine: StateEngine, effect: LogEffect): void {
  if (effect.kind === 'clearHistory') engine.history.dropAll(effect.version);
  else if (effect.kind === 'markKnownGood') engine.marks.add({ version: effect.version, label: effect.label, timestamp: effect.timestamp });
  else {
    const changes = effect.changes.map(({ key, operation, exists, value }) => ({ key, operation, next: exists ? value : ABSENT }));
    commit(engine, changes, effect.changedBy, effect.timestamp);
  }
}
