import { join } from 'node:path';
import { StateJournalError } from '../errors.ts';
import { DirectoryLock } from './directoryLock.ts';
import { encodeFrame } from './frame.ts';
import { encodeHeader, HEADER_BYTES, listJournal, segmentName, snapshotName } from './fileHeader.ts';
import { nodeFs, syncDirectory, writeAll, type JournalFile, type JournalFs } from './journalFs.ts';
import { recoverJournal, type RecoveredJournal } from './recoverJournal.ts';

/**
 * When a write is acknowledged: 'fsync' after its record is on disk
 * (fdatasync), 'write' after write(2) (survives kill -9, not power loss;
 * fdatasync at most a second later), 'none' at once (tests and benchmarks).
 */
export type Durability = 'fsync' | 'write' | 'none';

export interface JournalOptions {
  readonly dir: string;
  readonly durability: Durability;
  /** 'truncate': open up to the last good record when a damaged one has valid ones after it. */
  readonly repair?: 'truncate' | undefined;
  /** A segment this long is closed and a new one started. @default 64 MiB */
  readonly segmentBytes?: number | undefined;
  readonly fs?: JournalFs | undefined;
}

type Item =
  | { readonly kind: 'record'; readonly frame: Buffer; readonly settle?: Settle }
  | { readonly kind: 'snapshot'; readonly lsn: number; readonly payload: Buffer; readonly settle: Settle }
  | { readonly kind: 'sync' | 'close'; readonly settle?: Settle };
interface Settle {
  resolve(): void;
  reject(error: unknown): void;
}

const BACKGROUND_SYNC_MS = 1000;

/**
 * An append-only log of records in segment files, with group commit: the
 * records appended in one tick go out in one writev and one fdatasync.
 * Snapshots, written atomically, let the segments they cover be deleted.
 */
export class Journal {
  readonly #files: JournalFs;
  readonly #dir: string;
  readonly #durability: Durability;
  readonly #segmentBytes: number;
  readonly #lock: DirectoryLock;
  #file: JournalFile;
  #segmentLength: number;
  #lsn: number;
  /** Records written to the segment files so far. */
  #written: number;
  #queue: Item[] = [];
  #pumping = false;
  #failure: StateJournalError | null = null;
  #closed = false;
  #syncTimer: NodeJS.Timeout | null = null;

  private constructor(options: JournalOptions, files: JournalFs, lock: DirectoryLock, file: JournalFile, segmentLength: number, lsn: number) {
    this.#files = files;
    this.#dir = options.dir;
    this.#durability = options.durability;
    this.#segmentBytes = options.segmentBytes ?? 64 * 1024 * 1024;
    this.#lock = lock;
    this.#file = file;
    this.#segmentLength = segmentLength;
    this.#lsn = lsn;
    this.#written = lsn;
  }

  /** Takes the directory, recovers what it holds, and opens it for appends. A failed open releases the directory. */
  static async open(options: JournalOptions): Promise<{ journal: Journal; recovered: RecoveredJournal }> {
    const files = options.fs ?? nodeFs;
    await files.mkdir(options.dir, { recursive: true });
    const lock = await DirectoryLock.acquire(files, options.dir);
    try {
      const recovered = await recoverJournal(files, options.dir, options.repair);
      const { file, length } =
        recovered.tail === null
          ? { file: await createSegment(files, options.dir, recovered.nextLsn), length: HEADER_BYTES }
          : { file: await files.open(join(options.dir, recovered.tail.name), 'a'), length: recovered.tail.length };
      return { journal: new Journal(options, files, lock, file, length, recovered.nextLsn), recovered };
    } catch (error) {
      await lock.release();
      throw error;
    }
  }

  /** Why the journal takes no more appends (a write or sync failed), or null. */
  get failure(): StateJournalError | null {
    return this.#failure;
  }

  /** Records appended so far, acknowledged or not: the sequence number of the next one. */
  get lsn(): number {
    return this.#lsn;
  }

  /** Appends one record; resolves as the durability mode says. */
  append(payload: Uint8Array): Promise<void> {
    const refused = this.#refusal();
    if (refused !== null) return Promise.reject(refused);
    this.#lsn += 1;
    const frame = encodeFrame(payload);
    if (this.#durability === 'none') {
      this.#enqueue({ kind: 'record', frame });
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => this.#enqueue({ kind: 'record', frame, settle: { resolve, reject } }));
  }

  /** Writes a snapshot covering every record appended before this call, then deletes the files it makes redundant. */
  snapshot(payload: Uint8Array): Promise<void> {
    const refused = this.#refusal();
    if (refused !== null) return Promise.reject(refused);
    return new Promise((resolve, reject) => this.#enqueue({ kind: 'snapshot', lsn: this.#lsn, payload: Buffer.from(payload), settle: { resolve, reject } }));
  }

  /** Writes and syncs what is queued, then releases the directory. Appends after it are refused. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#syncTimer !== null) clearTimeout(this.#syncTimer);
    try {
      if (this.#failure === null) await new Promise<void>((resolve, reject) => this.#enqueue({ kind: 'close', settle: { resolve, reject } }));
    } finally {
      await this.#file.close().catch(() => undefined);
      await this.#lock.release();
    }
  }

  #refusal(): StateJournalError | null {
    if (this.#closed) return new StateJournalError(`the journal in ${this.#dir} is closed`, this.#dir);
    return this.#failure;
  }

  #enqueue(item: Item): void {
    this.#queue.push(item);
    if (this.#pumping) return;
    this.#pumping = true;
    // Everything appended in this tick joins one batch.
    setImmediate(() => void this.#pump());
  }

  async #pump(): Promise<void> {
    while (this.#queue.length > 0 && this.#failure === null) {
      const next = this.#queue[0] as Item;
      const batch = next.kind === 'record' ? this.#takeRecords() : [this.#queue.shift() as Item];
      try {
        await this.#run(next.kind, batch);
        for (const item of batch) item.settle?.resolve();
      } catch (cause) {
        this.#fail(cause, batch);
      }
    }
    this.#pumping = false;
  }

  #takeRecords(): Item[] {
    const end = this.#queue.findIndex((item) => item.kind !== 'record');
    return this.#queue.splice(0, end === -1 ? this.#queue.length : end);
  }

  async #run(kind: Item['kind'], batch: Item[]): Promise<void> {
    if (kind === 'record') {
      const frames = batch.map((item) => (item as { frame: Buffer }).frame);
      await writeAll(this.#file, frames);
      this.#segmentLength += frames.reduce((sum, frame) => sum + frame.length, 0);
      this.#written += frames.length;
      if (this.#durability === 'fsync') await this.#file.datasync();
      else if (this.#durability === 'write') this.#scheduleSync();
      if (this.#segmentLength >= this.#segmentBytes) await this.#startSegment(this.#written);
    } else if (kind === 'snapshot') {
      const { lsn, payload } = batch[0] as { lsn: number; payload: Buffer };
      await this.#writeSnapshot(lsn, payload);
    } else {
      await this.#file.datasync();
    }
  }

  #scheduleSync(): void {
    if (this.#syncTimer !== null) return;
    this.#syncTimer = setTimeout(() => {
      this.#syncTimer = null;
      if (!this.#closed && this.#failure === null) this.#enqueue({ kind: 'sync' });
    }, BACKGROUND_SYNC_MS);
    this.#syncTimer.unref();
  }

  async #writeSnapshot(lsn: number, payload: Buffer): Promise<void> {
    const name = snapshotName(lsn);
    const temporary = join(this.#dir, `${name}.tmp`);
    const file = await this.#files.open(temporary, 'w');
    try {
      await writeAll(file, [encodeHeader('snapshot', lsn), encodeFrame(payload)]);
      await file.datasync();
    } finally {
      await file.close();
    }
    await this.#files.rename(temporary, join(this.#dir, name));
    await syncDirectory(this.#files, this.#dir);
    // The records before the snapshot are in it: start a segment at it, and drop what it covers.
    await this.#startSegment(lsn);
    const { segments, snapshots } = listJournal(await this.#files.readdir(this.#dir));
    for (const old of [...segments.filter((segment) => segment.lsn < lsn), ...snapshots.filter((snapshot) => snapshot.lsn < lsn)]) {
      await this.#files.unlink(join(this.#dir, old.name));
    }
  }

  async #startSegment(lsn: number): Promise<void> {
    if (this.#segmentLength === HEADER_BYTES) return;
    await this.#file.datasync();
    await this.#file.close();
    this.#file = await createSegment(this.#files, this.#dir, lsn);
    this.#segmentLength = HEADER_BYTES;
  }

  #fail(cause: unknown, batch: Item[]): void {
    const message = cause instanceof Error ? cause.message : String(cause);
    this.#failure = new StateJournalError(`writing the journal in ${this.#dir} failed: ${message}; this state takes no more writes`, this.#dir, null, {
      cause,
    });
    for (const item of [...batch, ...this.#queue.splice(0)]) item.settle?.reject(this.#failure);
  }
}

async function createSegment(files: JournalFs, dir: string, lsn: number): Promise<JournalFile> {
  const file = await files.open(join(dir, segmentName(lsn)), 'a');
  await writeAll(file, [encodeHeader('segment', lsn)]);
  await file.datasync();
  await syncDirectory(files, dir);
  return file;
}
