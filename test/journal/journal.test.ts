/** The journal on a real file system: framing, torn tails, corruption, locking, snapshots and failing writes. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StateJournalError, StateLockedError } from '../../src/errors.ts';
import { Journal, type JournalOptions } from '../../src/journal/journal.ts';
import { nodeFs, type JournalFile, type JournalFs } from '../../src/journal/journalFs.ts';

const dirs: string[] = [];
const newDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'concord-journal-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const record = (n: number) => Buffer.from(`record ${n} `.repeat(1 + (n % 5)));
const texts = (records: readonly Buffer[]) => records.map((payload) => payload.toString());

async function write(dir: string, count: number, options: Partial<JournalOptions> = {}): Promise<void> {
  const { journal } = await Journal.open({ dir, durability: 'fsync', ...options });
  await Promise.all(Array.from({ length: count }, (_, n) => journal.append(record(n))));
  await journal.close();
}

const segmentsOf = (dir: string) =>
  readdirSync(dir)
    .filter((name) => name.startsWith('segment-'))
    .sort();
const newestSegment = (dir: string) => join(dir, segmentsOf(dir).at(-1) as string);

/** An fs whose open files count their writes and syncs, and can be told to fail. */
function countingFs(fail: { datasync?: boolean; writev?: boolean } = {}) {
  const counts = { writev: 0, datasync: 0 };
  const files: JournalFs = {
    ...nodeFs,
    open: async (path, flags) => {
      const file = await nodeFs.open(path, flags);
      const wrapped: JournalFile = {
        writev: (buffers) => {
          counts.writev += 1;
          return fail.writev ? Promise.reject(Object.assign(new Error('EIO: i/o error, write'), { code: 'EIO' })) : file.writev(buffers);
        },
        datasync: () => {
          counts.datasync += 1;
          return fail.datasync ? Promise.reject(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' })) : file.datasync();
        },
        sync: () => file.sync(),
        close: () => file.close(),
      };
      return wrapped;
    },
  };
  return { files, counts };
}

describe('the journal', () => {
  it('reads back every record appended, in order, after a reopen', async () => {
    const dir = newDir();
    await write(dir, 50);
    const { journal, recovered } = await Journal.open({ dir, durability: 'fsync' });
    expect(texts(recovered.records)).toEqual(texts(Array.from({ length: 50 }, (_, n) => record(n))));
    expect(journal.lsn).toBe(50);
    await journal.close();
  });

  it('commits the records of one tick with one writev and one fdatasync', async () => {
    const dir = newDir();
    const { files, counts } = countingFs();
    const { journal } = await Journal.open({ dir, durability: 'fsync', fs: files });
    const before = { ...counts };
    await Promise.all(Array.from({ length: 100 }, (_, n) => journal.append(record(n))));
    expect({ writev: counts.writev - before.writev, datasync: counts.datasync - before.datasync }).toEqual({ writev: 1, datasync: 1 });
    await journal.close();
  });

  it("in 'write' mode acknowledges after the write, with no fdatasync on the way", async () => {
    const dir = newDir();
    const { files, counts } = countingFs();
    const { journal } = await Journal.open({ dir, durability: 'write', fs: files });
    const before = counts.datasync;
    await journal.append(record(1));
    expect(counts.datasync).toBe(before);
    await journal.close();
    const reopened = await Journal.open({ dir, durability: 'write' });
    expect(texts(reopened.recovered.records)).toEqual([record(1).toString()]);
    await reopened.journal.close();
  });

  it('opens after a crash mid-append at every byte of the last two records: the torn record is dropped', async () => {
    const dir = newDir();
    await write(dir, 5);
    const path = newestSegment(dir);
    const whole = readFileSync(path);
    const lengths = [3, 4].map((n) => 12 + record(n).length);
    const lastTwoStart = whole.length - (lengths[0] as number) - (lengths[1] as number);
    for (let cut = lastTwoStart; cut < whole.length; cut++) {
      writeFileSync(path, whole.subarray(0, cut));
      const { journal, recovered } = await Journal.open({ dir, durability: 'fsync' });
      const kept = cut >= whole.length - (lengths[1] as number) ? 4 : 3;
      expect(recovered.records.length, `cut at ${cut}`).toBe(kept);
      expect(recovered.tornBytes).toBe(cut - (kept === 4 ? whole.length - (lengths[1] as number) : lastTwoStart));
      await journal.close();
      expect(statSync(path).size).toBe(kept === 4 ? whole.length - (lengths[1] as number) : lastTwoStart);
    }
  });

  it('refuses a damaged record with valid ones after it, naming file and offset, and changes nothing on disk', async () => {
    const dir = newDir();
    await write(dir, 6);
    const path = newestSegment(dir);
    const whole = readFileSync(path);
    const offset = 24 + 12 + record(0).length + 12 + record(1).length;
    const damaged = Buffer.from(whole);
    damaged[offset + 14] = (damaged[offset + 14] as number) ^ 0xff;
    writeFileSync(path, damaged);
    const error = await Journal.open({ dir, durability: 'fsync' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StateJournalError);
    expect(error).toMatchObject({ name: 'StateJournalError', file: path, offset });
    expect((error as Error).message).toContain(`${path}: the record at byte ${offset} is damaged`);
    expect(readFileSync(path).equals(damaged)).toBe(true);
    // The failed open released the directory: a repair opens it, and says what it dropped.
    const { journal, recovered } = await Journal.open({ dir, durability: 'fsync', repair: 'truncate' });
    expect(texts(recovered.records)).toEqual([record(0), record(1)].map(String));
    expect(recovered.droppedRecords).toBe(3);
    await journal.close();
  });

  it('refuses a damaged length field in a middle record though it reads like a torn tail', async () => {
    const dir = newDir();
    await write(dir, 4);
    const path = newestSegment(dir);
    const damaged = readFileSync(path);
    damaged.writeUInt32LE(0x7fff_ffff, 24 + 4);
    writeFileSync(path, damaged);
    await expect(Journal.open({ dir, durability: 'fsync' })).rejects.toMatchObject({ name: 'StateJournalError', offset: 24 });
  });

  it('starts a new segment past segmentBytes, and reads across segments', async () => {
    const dir = newDir();
    const { journal } = await Journal.open({ dir, durability: 'fsync', segmentBytes: 200 });
    for (let n = 0; n < 30; n++) await journal.append(record(n));
    await journal.close();
    expect(segmentsOf(dir).length).toBeGreaterThan(3);
    const reopened = await Journal.open({ dir, durability: 'fsync' });
    expect(texts(reopened.recovered.records)).toEqual(Array.from({ length: 30 }, (_, n) => record(n).toString()));
    await reopened.journal.close();
  });

  it('writes a snapshot, deletes the segments it covers, and recovers the snapshot and the records after it', async () => {
    const dir = newDir();
    const { journal } = await Journal.open({ dir, durability: 'fsync', segmentBytes: 200 });
    for (let n = 0; n < 20; n++) await journal.append(record(n));
    await journal.snapshot(Buffer.from('state after 20'));
    for (let n = 20; n < 23; n++) await journal.append(record(n));
    await journal.close();
    expect(segmentsOf(dir)).toEqual(['segment-0000000000000020.log']);
    expect(readdirSync(dir).filter((name) => name.startsWith('snapshot-'))).toEqual(['snapshot-0000000000000020.bin']);
    const { journal: reopened, recovered } = await Journal.open({ dir, durability: 'fsync' });
    expect(recovered.snapshot?.toString()).toBe('state after 20');
    expect(texts(recovered.records)).toEqual([20, 21, 22].map((n) => record(n).toString()));
    expect(reopened.lsn).toBe(23);
    await reopened.close();
  });

  it('refuses a damaged snapshot with its file', async () => {
    const dir = newDir();
    const { journal } = await Journal.open({ dir, durability: 'fsync' });
    await journal.append(record(0));
    await journal.snapshot(Buffer.from('the snapshot'));
    await journal.close();
    const path = join(dir, 'snapshot-0000000000000001.bin');
    const bytes = readFileSync(path);
    bytes[bytes.length - 2] = (bytes[bytes.length - 2] as number) ^ 1;
    writeFileSync(path, bytes);
    await expect(Journal.open({ dir, durability: 'fsync' })).rejects.toMatchObject({ name: 'StateJournalError', file: path });
  });

  it('lets one writer hold a directory: a second open is refused naming the pid, and after close it opens again', async () => {
    const dir = newDir();
    const { journal } = await Journal.open({ dir, durability: 'fsync' });
    const error = await Journal.open({ dir, durability: 'fsync' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StateLockedError);
    expect((error as Error).message).toContain(String(process.pid));
    await journal.close();
    const again = await Journal.open({ dir, durability: 'fsync' });
    await again.journal.close();
  });

  it('refuses a directory held by another live process, and takes over one whose holder is dead', async () => {
    const dir = newDir();
    const lock = join(dir, 'LOCK');
    writeFileSync(lock, `${process.ppid}\n`);
    await expect(Journal.open({ dir, durability: 'fsync' })).rejects.toMatchObject({ name: 'StateLockedError', holderPid: process.ppid });
    const child = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
    writeFileSync(lock, `${child.stdout.trim()}\n`);
    const { journal } = await Journal.open({ dir, durability: 'fsync' });
    expect(readFileSync(lock, 'utf8')).toBe(`${process.pid}\n`);
    await journal.close();
  });

  it('rejects the writes of a batch whose fdatasync fails, with the cause, and every later one; what was acknowledged survives', async () => {
    const dir = newDir();
    const fail = { datasync: false };
    const { files } = countingFs(fail);
    const { journal } = await Journal.open({ dir, durability: 'fsync', fs: files });
    await journal.append(record(0));
    fail.datasync = true;
    const error = await journal.append(record(1)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StateJournalError);
    expect((error as Error).cause).toMatchObject({ code: 'EIO' });
    await expect(journal.append(record(2))).rejects.toBe(error);
    fail.datasync = false;
    await journal.close();
    const { journal: reopened, recovered } = await Journal.open({ dir, durability: 'fsync' });
    expect(recovered.records[0]?.toString()).toBe(record(0).toString());
    await reopened.close();
  });

  it('rejects a write whose writev fails, with the cause', async () => {
    const dir = newDir();
    const fail = { writev: false };
    const { files } = countingFs(fail);
    const { journal } = await Journal.open({ dir, durability: 'fsync', fs: files });
    fail.writev = true;
    await expect(journal.append(record(0))).rejects.toThrow(/writing the journal in .* failed: EIO: i\/o error, write/);
    fail.writev = false;
    await journal.close();
  });

  it('refuses appends after close', async () => {
    const dir = newDir();
    const { journal } = await Journal.open({ dir, durability: 'none' });
    await journal.append(record(0));
    await journal.close();
    await expect(journal.append(record(1))).rejects.toBeInstanceOf(StateJournalError);
    const { journal: reopened, recovered } = await Journal.open({ dir, durability: 'none' });
    expect(recovered.records.length).toBe(1);
    await reopened.close();
  });

  it('cuts a segment whose header was never fully written', async () => {
    const dir = newDir();
    await write(dir, 3);
    writeFileSync(join(dir, 'segment-0000000000000003.log'), Buffer.from('CNCRD'));
    const { journal, recovered } = await Journal.open({ dir, durability: 'fsync' });
    expect(recovered.records.length).toBe(3);
    await journal.append(record(3));
    await journal.close();
    const reopened = await Journal.open({ dir, durability: 'fsync' });
    expect(texts(reopened.recovered.records)).toEqual([0, 1, 2, 3].map((n) => record(n).toString()));
    await reopened.journal.close();
  });
});
