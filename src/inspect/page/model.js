// The page's view of a recording: the stream's entries folded, in order,
// into actors, events and version timelines. Live or loaded from a file,
// the same entries give the same model.
import { checkEntry } from './entryShapes.js';

/** @returns an empty model. */
export function createModel(startedAt = Date.now()) {
  return {
    startedAt,
    entries: [],
    actors: new Map(),
    events: [],
    replies: [],
    replyByEvent: new Map(),
    versionEvents: new Map(),
    states: new Map(),
    actorRevision: 0,
  };
}

/** A model built from a saved recording; throws, saying what is wrong, when the file is not one or an entry is damaged. */
export function modelFromRecording(recording) {
  if (
    recording === null ||
    typeof recording !== 'object' ||
    recording.format !== 'concord-inspection' ||
    !Array.isArray(recording.entries) ||
    !Number.isFinite(recording.startedAt)
  ) {
    throw new Error('not a Concord inspection recording (expected {"format":"concord-inspection", "startedAt": ..., "entries": [...]})');
  }
  // Every entry checked before any is folded: a damaged file is refused whole, with the entry that is wrong.
  recording.entries.forEach(checkEntry);
  const model = createModel(recording.startedAt);
  for (const entry of recording.entries) applyEntry(model, entry);
  return model;
}

/** The recording the model was built from, as Save writes it. */
export function recordingOf(model) {
  return { format: 'concord-inspection', formatVersion: 1, startedAt: model.startedAt, entries: model.entries };
}

/** A copy with own keys only, null prototype: a state key may be "__proto__". */
function copyKeys(source) {
  const copy = Object.create(null);
  for (const key of Object.keys(source)) copy[key] = source[key];
  return copy;
}

const handlers = {
  actor(model, entry) {
    model.actorRevision += 1;
    const known = model.actors.get(entry.sessionId);
    const facts = {
      sessionId: entry.sessionId,
      id: entry.id,
      systemId: entry.systemId,
      parentId: entry.parentId,
      rootId: entry.rootId,
      logic: entry.logic,
      machineId: entry.machineId,
      origin: entry.origin,
    };
    if (known) Object.assign(known, facts);
    else
      model.actors.set(entry.sessionId, { ...facts, firstSeq: entry.seq, status: 'active', value: null, transitions: [], output: undefined, error: undefined });
  },
  snapshot(model, entry) {
    const actor = model.actors.get(entry.sessionId);
    if (!actor) return;
    actor.status = entry.status;
    actor.value = entry.value;
    if ('output' in entry) actor.output = entry.output;
    if ('error' in entry) actor.error = entry.error;
    const previous = actor.transitions.at(-1);
    if (entry.value !== null && (!previous || JSON.stringify(previous.value) !== JSON.stringify(entry.value))) {
      actor.transitions.push({ seq: entry.seq, at: entry.at, value: entry.value, eventType: entry.eventType });
    }
  },
  event(model, entry) {
    model.events.push(entry);
  },
  reply(model, entry) {
    model.replies.push(entry);
    if (entry.eventSeq === null) return;
    model.replyByEvent.set(entry.eventSeq, entry);
    if (entry.version === null) return;
    if (!model.versionEvents.has(entry.stateId)) model.versionEvents.set(entry.stateId, new Map());
    model.versionEvents.get(entry.stateId).set(entry.version, entry.eventSeq);
  },
  state(model, entry) {
    const timeline = { stateId: entry.stateId, baseVersion: entry.version, versions: [], byVersion: new Map() };
    const base = {
      version: entry.version,
      at: entry.at,
      records: [],
      snapshot: copyKeys(entry.snapshot),
      changedKeys: new Set(),
      removedKeys: [],
      origin: null,
    };
    timeline.versions.push(base);
    timeline.byVersion.set(base.version, base);
    model.states.set(entry.stateId, timeline);
  },
  version(model, entry) {
    const timeline = model.states.get(entry.stateId);
    if (!timeline) return;
    const snapshot = copyKeys(timeline.versions.at(-1).snapshot);
    for (const key of Object.keys(entry.changed)) snapshot[key] = entry.changed[key];
    for (const key of entry.removed) delete snapshot[key];
    const changedKeys = new Set([...entry.records.map((record) => record.key), ...Object.keys(entry.changed), ...entry.removed]);
    const at = entry.records[0]?.timestamp ?? entry.at;
    const origin = entry.origin ?? null;
    const version = { version: entry.version, at, records: entry.records, snapshot, changedKeys, removedKeys: entry.removed, origin };
    timeline.versions.push(version);
    timeline.byVersion.set(version.version, version);
  },
};

/** Folds one entry into the model. Unknown kinds (a newer format) are kept for Save and otherwise skipped. */
export function applyEntry(model, entry) {
  model.entries.push(entry);
  // Own keys only: a kind named "__proto__" or "toString" is unknown, not Object.prototype's.
  if (Object.hasOwn(handlers, entry.kind)) handlers[entry.kind](model, entry);
}

/** The `seq` of the command event that made `version` of the state `stateId`, or null when none was recorded (the oldest version, a state attached without an XState inspector). */
export function eventOfVersion(model, stateId, version) {
  return model.versionEvents.get(stateId)?.get(version) ?? null;
}

/** The name to show: the systemId, else an invoke id, else the machine's id, else the sessionId. */
export function actorName(model, sessionId) {
  const actor = model.actors.get(sessionId);
  if (!actor) return sessionId ?? 'outside';
  if (actor.systemId) return actor.systemId;
  if (actor.id && actor.id !== sessionId && !sessionId.endsWith(`/${actor.id}`)) return actor.id;
  return actor.machineId ?? sessionId;
}

/** The state a machine is in, as text: `a`, `a.b`, or `a.b, c.d` for parallel states. */
export function stateValueText(value) {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value !== 'object') return String(value);
  return Object.entries(value)
    .map(([key, child]) => {
      const inner = stateValueText(child);
      return inner === '' ? key : `${key}.${inner}`;
    })
    .join(', ');
}
