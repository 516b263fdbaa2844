import type { StateChangeRecord } from '../schemas.ts';
import { setOwnKey } from '../values/setOwnKey.ts';
import type { ThreadSafeState } from '../threadSafeState.ts';
import { BRIEF, toReadable, type Json } from './readable.ts';
import type { Recorder } from './recorder.ts';
import type { RecordedChange } from './recording.ts';
import { originOfIn } from './versionOrigin.ts';

type AnyState = ThreadSafeState<Record<string, unknown>>;
type Snapshot = Readonly<Record<string, unknown>>;

/**
 * A record's values trimmed like an event's: the whole value is in the
 * version's snapshot already (`changed`), and a third whole copy per commit
 * made a list pushed onto 3,000 times cost its square three times over.
 */
const readableRecord = (record: StateChangeRecord): RecordedChange => ({
  version: record.version,
  key: record.key,
  operation: record.operation,
  oldValue: toReadable(record.oldValue, BRIEF),
  newValue: toReadable(record.newValue, BRIEF),
  existedBefore: record.existedBefore,
  existsAfter: record.existsAfter,
  changedBy: record.changedBy,
  timestamp: record.timestamp,
});

function tryRead<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

/**
 * Follows one shared state into the recorder: a `state` entry with the
 * snapshot of the oldest version still in its history window, a `version`
 * entry for each later version in the window, then one per commit as it
 * happens. Each version's snapshot is read with `snapshotAt` when it is made
 * and kept as its difference from the version before, so a saved recording
 * answers any version's snapshot without the state; a state that says where
 * each version came from (a replicated one's `originOf`) has it recorded
 * beside. Returns the unsubscribe.
 */
export function followState(recorder: Recorder, state: AnyState): () => void {
  const stateId = state.actor.sessionId;
  const originOf = originOfIn(state);
  /** Per key: the stored value last seen (frozen, so unchanged keys keep their identity) and its JSON. */
  const last = new Map<string, { value: unknown; json: string }>();

  /** The keys whose readable value differs from the version before, and the keys gone. */
  const diff = (snapshot: Snapshot) => {
    const changed: Record<string, Json> = {};
    for (const key of Object.keys(snapshot)) {
      const value = snapshot[key];
      const seen = last.get(key);
      if (seen !== undefined && Object.is(seen.value, value)) continue;
      const readable = toReadable(value);
      const json = JSON.stringify(readable);
      last.set(key, { value, json });
      if (seen?.json !== json) setOwnKey(changed, key, readable);
    }
    const removed = [...last.keys()].filter((key) => !Object.hasOwn(snapshot, key));
    for (const key of removed) last.delete(key);
    return { changed, removed };
  };

  /** Only when the version has already left the history window: its records say what changed. */
  const diffFromRecords = (records: readonly StateChangeRecord[]) => {
    const changed: Record<string, Json> = {};
    const removed: string[] = [];
    for (const record of records) {
      if (!record.existsAfter) {
        last.delete(record.key);
        removed.push(record.key);
        continue;
      }
      const readable = toReadable(record.newValue);
      last.set(record.key, { value: record.newValue, json: JSON.stringify(readable) });
      setOwnKey(changed, record.key, readable);
    }
    return { changed, removed };
  };

  const appendVersion = (version: number, records: readonly StateChangeRecord[]) => {
    const snapshot = tryRead(() => state.snapshotAt(version));
    const { changed, removed } = snapshot === undefined ? diffFromRecords(records) : diff(snapshot);
    const origin = originOf?.(version);
    recorder.append({ kind: 'version', stateId, version, records: records.map(readableRecord), changed, removed, ...(origin === undefined ? {} : { origin }) });
  };

  const current = state.getVersion();
  const history = state.getHistory().reverse();
  const versions = [...new Set(history.map((record) => record.version))];
  // The version just before the oldest record is the base, when it can still be read; else the oldest readable one.
  const candidates = [(versions[0] ?? current + 1) - 1, ...versions];
  const base = candidates.find((version) => tryRead(() => state.snapshotAt(version)) !== undefined) ?? current;
  const baseSnapshot = state.snapshotAt(base) as Snapshot;
  const { changed } = diff(baseSnapshot);
  recorder.append({ kind: 'state', stateId, version: base, snapshot: changed });
  for (const version of versions) {
    if (version > base)
      appendVersion(
        version,
        history.filter((record) => record.version === version),
      );
  }
  return state.subscribe(({ version, records }) => appendVersion(version, records));
}
