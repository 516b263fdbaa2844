import { join } from 'node:path';
import { StateJournalError } from '../errors.ts';
import { countFramesAfter, scanFrames } from './frame.ts';
import { decodeHeader, HEADER_BYTES, listJournal } from './fileHeader.ts';
import type { JournalFs } from './journalFs.ts';

/** What a journal directory holds: the newest snapshot, and every record after it, in order. */
export interface RecoveredJournal {
  /** The newest snapshot's payload, or null when none was written. */
  readonly snapshot: Buffer | null;
  /** The payloads of the records after the snapshot. */
  readonly records: Buffer[];
  /** The sequence number the next record gets. */
  readonly nextLsn: number;
  /** Bytes of a torn final record cut from the newest segment. */
  readonly tornBytes: number;
  /** Valid records dropped with a damaged one, by `repair: 'truncate'` only. */
  readonly droppedRecords: number;
  /** The newest segment (append to it) and its length after recovery, or null when there is none to append to. */
  readonly tail: { readonly name: string; readonly length: number } | null;
}

/** A change recovery makes on disk, applied only once the whole directory has been read without a refusal. */
type Fix = (files: JournalFs) => Promise<void>;

/**
 * Reads a journal directory and plans its repairs. A torn final record (a
 * crash mid-append) is cut; a damaged record followed by valid ones is
 * corruption, refused with the file and offset unless `repair` is 'truncate'.
 * Nothing on disk changes before every file has been read.
 */
export async function recoverJournal(files: JournalFs, dir: string, repair: 'truncate' | undefined): Promise<RecoveredJournal> {
  const { segments, snapshots, temporary } = listJournal(await files.readdir(dir));
  const fixes: Fix[] = temporary.map((name) => (fs) => fs.unlink(join(dir, name)));
  const newest = snapshots.at(-1);
  let snapshot: Buffer | null = null;
  let base = 0;
  if (newest !== undefined) {
    const path = join(dir, newest.name);
    const buffer = await files.readFile(path);
    const header = decodeHeader('snapshot', buffer);
    if ('problem' in header) throw new StateJournalError(`${path}: ${header.problem}`, path, 0);
    const scan = scanFrames(buffer, HEADER_BYTES);
    if (scan.tail !== 'clean' || scan.frames.length !== 1) throw new StateJournalError(`${path}: the snapshot is damaged at byte ${scan.end}`, path, scan.end);
    snapshot = (scan.frames[0] as { payload: Buffer }).payload;
    base = header.lsn;
    for (const older of snapshots.slice(0, -1)) fixes.push((fs) => fs.unlink(join(dir, older.name)));
  }
  // Segments wholly before the snapshot are left from a crash between its rename and their deletion.
  const live = segments.filter((segment, i) => (segments[i + 1]?.lsn ?? Number.POSITIVE_INFINITY) > base);
  for (const covered of segments.filter((segment) => !live.includes(segment))) fixes.push((fs) => fs.unlink(join(dir, covered.name)));

  const records: Buffer[] = [];
  const first = live[0];
  let expected = first?.lsn ?? base;
  if (first !== undefined && expected > base) {
    const path = join(dir, first.name);
    throw new StateJournalError(`${path}: records ${base} to ${expected - 1} are missing`, path, 0);
  }
  let tornBytes = 0;
  let droppedRecords = 0;
  let tail: RecoveredJournal['tail'] = null;
  for (const [i, segment] of live.entries()) {
    const path = join(dir, segment.name);
    const last = i === live.length - 1;
    const buffer = await files.readFile(path);
    if (last && buffer.length < HEADER_BYTES) {
      // Created, but its header never fully written: a crash while starting the segment.
      fixes.push((fs) => fs.unlink(path));
      break;
    }
    const header = decodeHeader('segment', buffer);
    if ('problem' in header) throw new StateJournalError(`${path}: ${header.problem}`, path, 0);
    if (header.lsn !== expected) throw new StateJournalError(`${path}: starts at record ${header.lsn}, expected ${expected}`, path, 0);
    const scan = scanFrames(buffer, HEADER_BYTES);
    for (const [n, frame] of scan.frames.entries()) if (header.lsn + n >= base) records.push(frame.payload);
    expected = header.lsn + scan.frames.length;
    if (scan.tail === 'clean') {
      if (last) tail = { name: segment.name, length: buffer.length };
      continue;
    }
    if (scan.tail === 'torn' && last) {
      tornBytes = buffer.length - scan.end;
      fixes.push((fs) => fs.truncate(path, scan.end));
      tail = { name: segment.name, length: scan.end };
      continue;
    }
    if (repair !== 'truncate') {
      throw new StateJournalError(
        `${path}: the record at byte ${scan.end} is damaged and valid records follow it; nothing was changed. Open with repair: 'truncate' to keep the records before it and drop the rest`,
        path,
        scan.end,
      );
    }
    droppedRecords = countFramesAfter(buffer, scan.end);
    fixes.push((fs) => fs.truncate(path, scan.end));
    tail = { name: segment.name, length: scan.end };
    for (const later of live.slice(i + 1)) {
      const laterBuffer = await files.readFile(join(dir, later.name));
      droppedRecords += laterBuffer.length < HEADER_BYTES ? 0 : countFramesAfter(laterBuffer, HEADER_BYTES - 1);
      fixes.push((fs) => fs.unlink(join(dir, later.name)));
    }
    break;
  }
  for (const fix of fixes) await fix(files);
  return { snapshot, records, nextLsn: Math.max(expected, base), tornBytes, droppedRecords, tail };
}
