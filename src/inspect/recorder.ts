import type { Entry, NewEntry, Recording } from './recording.ts';
import { saveRecording } from './saveRecording.ts';

/** Told of each entry as it is appended. */
export type EntryListener = (entry: Entry) => void;

/**
 * The inspection stream of one run: an append-only list of JSON entries,
 * numbered and stamped here, and the listeners (the page's live feeds) told
 * of each. Sources (XState's inspection events, WebSocket inspectors,
 * attached states) only append; nothing is ever rewritten.
 */
export class Recorder {
  readonly #entries: Entry[] = [];
  readonly #listeners = new Set<EntryListener>();
  readonly #clock: () => number;
  readonly startedAt: number;

  constructor(clock: () => number = Date.now) {
    this.#clock = clock;
    this.startedAt = clock();
  }

  /** Numbers and stamps `entry`, keeps it and tells the listeners; returns it as kept, for its `seq`. */
  append(entry: NewEntry): Entry {
    const stamped = { ...entry, seq: this.#entries.length, at: this.#clock() };
    this.#entries.push(stamped);
    for (const listener of this.#listeners) listener(stamped);
    return stamped;
  }

  /** The entries so far; the array is a copy, the entries are never changed. */
  entries(): readonly Entry[] {
    return [...this.#entries];
  }

  subscribe(listener: EntryListener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  recording(): Recording {
    return { format: 'concord-inspection', formatVersion: 1, startedAt: this.startedAt, entries: this.entries() as Entry[] };
  }

  /** Writes the recording as JSON, for the page's Load or `loadRecording`. */
  save(path: string): Promise<void> {
    return saveRecording(path, this.recording());
  }
}
