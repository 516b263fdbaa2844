export { createLocalInspector, type LocalInspector, type LocalInspectorOptions } from './localInspector.ts';
export { ambientInspector, setAmbientInspector, type ConcordInspector, type Inspect } from './ambient.ts';
export { toReadable, BRIEF, WHOLE, type Json, type ReadableLimits } from './readable.ts';
export {
  loadRecording,
  RecordingSchema,
  EntrySchema,
  ActorEntrySchema,
  SnapshotEntrySchema,
  EventEntrySchema,
  ReplyEntrySchema,
  StateEntrySchema,
  VersionEntrySchema,
  RecordedChangeSchema,
  type Recording,
  type Entry,
  type ActorEntry,
  type SnapshotEntry,
  type EventEntry,
  type ReplyEntry,
  type StateEntry,
  type VersionEntry,
  type RecordedChange,
} from './recording.ts';
export { VersionOriginSchema, type VersionOrigin } from './versionOrigin.ts';
