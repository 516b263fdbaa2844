import * as fs from 'node:fs/promises';

/** The file operations the journal makes: node's own by default, injectable so tests can make a write or a sync fail. */
export interface JournalFs {
  open(path: string, flags: string): Promise<JournalFile>;
  readFile(path: string): Promise<Buffer>;
  readdir(path: string): Promise<string[]>;
  mkdir(path: string, options: { recursive: true }): Promise<unknown>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  truncate(path: string, length: number): Promise<void>;
}

/** An open file: node's FileHandle has all of these. */
export interface JournalFile {
  writev(buffers: readonly Buffer[]): Promise<{ bytesWritten: number }>;
  datasync(): Promise<void>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

export const nodeFs: JournalFs = {
  open: (path, flags) => fs.open(path, flags),
  readFile: (path) => fs.readFile(path),
  readdir: (path) => fs.readdir(path),
  mkdir: (path, options) => fs.mkdir(path, options),
  rename: (from, to) => fs.rename(from, to),
  unlink: (path) => fs.unlink(path),
  truncate: (path, length) => fs.truncate(path, length),
};

/** Writes every byte of `buffers`: a write(2) may take fewer than it was given. */
export async function writeAll(file: JournalFile, buffers: readonly Buffer[]): Promise<void> {
  let rest = buffers.filter((buffer) => buffer.length > 0);
  while (rest.length > 0) {
    let { bytesWritten } = await file.writev(rest);
    // A short write: skip the buffers written whole, and write the rest of the one cut.
    let whole = 0;
    while (whole < rest.length && bytesWritten >= (rest[whole] as Buffer).length) bytesWritten -= (rest[whole++] as Buffer).length;
    rest = whole === rest.length ? [] : [(rest[whole] as Buffer).subarray(bytesWritten), ...rest.slice(whole + 1)];
  }
}

/** Makes a rename or a new file in `dir` survive power loss: fsync of the directory itself. */
export async function syncDirectory(files: JournalFs, dir: string): Promise<void> {
  const handle = await files.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
