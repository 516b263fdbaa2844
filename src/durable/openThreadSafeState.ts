import { imageOf, type WriteLog } from '../commands/logStep.ts';
import { ActorBackedState } from '../createThreadSafeState.ts';
import { Journal } from '../journal/journal.ts';
import type { ThreadSafeState } from '../threadSafeState.ts';
import { splitDurableOptions, type OpenThreadSafeStateOptions } from './durableOptions.ts';
import { decodeEffect, decodeImage, encodeEffect, encodeImage } from './journalCodec.ts';

/** What opening found in the journal. */
export interface JournalRecovery {
  /** Records replayed after the newest snapshot. */
  readonly replayed: number;
  /** Bytes of a torn final record (a crash mid-append) cut from the journal. */
  readonly tornBytes: number;
  /** Valid records dropped with a damaged one; only with `repair: 'truncate'`. */
  readonly droppedRecords: number;
}

/** A state kept in a journal: the ThreadSafeState interface, and `close()`. */
export interface DurableThreadSafeState<T extends object> extends ThreadSafeState<T> {
  readonly recovery: JournalRecovery;
  /** Waits for every acknowledged write to be on disk, stops the state and releases the directory; later writes reject with StateStoppedError. */
  close(): Promise<void>;
}

class DurableState<T extends object> extends ActorBackedState<T> implements DurableThreadSafeState<T> {
  readonly #journal: Journal;
  #closing: Promise<void> | null = null;

  constructor(...[options, durable, journal, recovery]: [...ConstructorParameters<typeof ActorBackedState<T>>, Journal, JournalRecovery]) {
    super(options, durable);
    this.#journal = journal;
    this.recovery = recovery;
  }

  readonly recovery: JournalRecovery;

  close(): Promise<void> {
    if (this.#closing === null) {
      super.stop();
      this.#closing = this.#journal.close();
    }
    return this.#closing;
  }

  /** Stops the state and releases the directory; close() says when that is done, and what failed. */
  override stop(): void {
    this.close().catch(() => undefined);
  }
}

/**
 * Opens, or creates, a state kept in a crash-safe journal in `dir`: every
 * write is acknowledged once its record is written as `durability` says,
 * and opening again (after a restart or a kill -9) restores the contents,
 * the version and the history window. One writer per directory.
 *
 * @example
 * const state = await openThreadSafeState<{ n: number }>({ dir: './.concord/team' });
 * await state.set('n', 1);
 * await state.close();
 */
export async function openThreadSafeState<T extends object>(options: OpenThreadSafeStateOptions<T>): Promise<DurableThreadSafeState<T>> {
  const { journal: journalOptions, state: stateOptions } = splitDurableOptions(options);
  const { dir, durability = 'fsync', repair, snapshotEvery = 10_000, fs } = journalOptions;
  const { journal, recovered } = await Journal.open({ dir, durability, repair, fs });
  try {
    const image = recovered.snapshot === null ? null : decodeImage(dir, recovered.snapshot);
    const effects = recovered.records.map((record) => decodeEffect(dir, record));
    const fresh = image === null && effects.length === 0;
    let commitsSinceImage = 0;
    const log: WriteLog = {
      append: (effect, state) => {
        const written = journal.append(encodeEffect(effect));
        if (effect.kind === 'commit' && ++commitsSinceImage >= snapshotEvery) {
          commitsSinceImage = 0;
          // A failed snapshot fails the journal, which then refuses every write: nothing is lost unseen.
          journal.snapshot(encodeImage(imageOf(effect.version, state))).catch(() => undefined);
        }
        return written;
      },
      refusal: () => journal.failure,
    };
    // A directory that has a state keeps it: initialState only seeds a new one.
    const { initialState, ...rest } = stateOptions;
    const seeded = fresh ? stateOptions : rest;
    const recovery = { replayed: effects.length, tornBytes: recovered.tornBytes, droppedRecords: recovered.droppedRecords };
    const state = new DurableState<T>(seeded, { log, restore: { image, effects } }, journal, recovery);
    if (fresh && initialState !== undefined && Object.keys(initialState).length > 0) {
      const seed = state.snapshot() as Readonly<Record<string, unknown>>;
      await journal.snapshot(encodeImage({ version: 0, floor: 0, entries: Object.keys(seed).map((key) => [key, seed[key]]), history: [], marks: [] }));
    }
    return state;
  } catch (error) {
    await journal.close();
    throw error;
  }
}
