// Types of model.js, so Node code and tests can fold a recording exactly as the page does.
import type { Json } from '../readable.ts';
import type { Entry, EventEntry, RecordedChange, Recording, ReplyEntry } from '../recording.ts';
import type { VersionOrigin } from '../versionOrigin.ts';

export interface PageActor {
  sessionId: string;
  id: string;
  systemId: string | null;
  parentId: string | null;
  rootId: string | null;
  logic: 'machine' | 'actor';
  machineId: string | null;
  origin: string;
  firstSeq: number;
  status: string;
  value: Json | null;
  transitions: { seq: number; at: number; value: Json; eventType: string | null }[];
  output: Json | undefined;
  error: Json | undefined;
}

export interface PageVersion {
  version: number;
  at: number;
  records: RecordedChange[];
  /** Every key at this version (null prototype). */
  snapshot: Record<string, Json>;
  changedKeys: Set<string>;
  removedKeys: string[];
  /** The process whose write made it, when the recording says (a replicated state's). */
  origin: VersionOrigin | null;
}

export interface PageTimeline {
  stateId: string;
  baseVersion: number;
  versions: PageVersion[];
  byVersion: Map<number, PageVersion>;
}

export interface PageModel {
  startedAt: number;
  entries: Entry[];
  actors: Map<string, PageActor>;
  events: EventEntry[];
  /** The shared states' replies, in order. */
  replies: ReplyEntry[];
  /** Event seq of a command -> the state's reply to it. */
  replyByEvent: Map<number, ReplyEntry>;
  /** State id -> version -> seq of the command event that made it. */
  versionEvents: Map<string, Map<number, number>>;
  states: Map<string, PageTimeline>;
  /** Incremented by every actor entry: names shown may have changed. */
  actorRevision: number;
}

export function createModel(startedAt?: number): PageModel;
export function modelFromRecording(recording: unknown): PageModel;
export function recordingOf(model: PageModel): Recording;
export function applyEntry(model: PageModel, entry: Entry): void;
export function eventOfVersion(model: PageModel, stateId: string, version: number): number | null;
export function actorName(model: PageModel, sessionId: string | null): string;
export function stateValueText(value: unknown): string;
