/** writeAll: a write(2) may take fewer bytes than it was given, and every byte must still land once, in order. */
import { describe, expect, it } from 'vitest';
import { writeAll, type JournalFile } from '../../src/journal/journalFs.ts';

/** A file whose every writev takes at most `limit` bytes, as a short write does. */
function shortWritingFile(limit: number) {
  const written: Buffer[] = [];
  let calls = 0;
  const file: JournalFile = {
    writev: (buffers) => {
      calls++;
      const taken = Buffer.concat(buffers).subarray(0, limit);
      written.push(Buffer.from(taken));
      return Promise.resolve({ bytesWritten: taken.length });
    },
    datasync: () => Promise.resolve(),
    sync: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
  return { file, bytes: () => Buffer.concat(written), calls: () => calls };
}

describe('writeAll', () => {
  it.each([1, 3, 7, 64, 10_000])('writes every byte once, in order, when each write takes at most %i bytes', async (limit) => {
    const buffers = Array.from({ length: 40 }, (_, i) => Buffer.alloc(i % 5, i));
    const { file, bytes, calls } = shortWritingFile(limit);
    await writeAll(file, buffers);
    expect(bytes()).toEqual(Buffer.concat(buffers));
    const total = Buffer.concat(buffers).length;
    expect(calls()).toBe(Math.ceil(total / limit));
  });
});
