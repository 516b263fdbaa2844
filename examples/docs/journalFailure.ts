import * as fs from 'node:fs/promises';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openThreadSafeState, StateJournalError, type JournalFs } from 'concord-state';

// node:fs, except that fdatasync fails once `failing` is set: a disk that stopped taking writes.
let failing = false;
const flakyFs: JournalFs = {
  open: async (path, flags) => {
    const file = await fs.open(path, flags);
    return {
      writev: (buffers) => file.writev(buffers),
      datasync: () => (failing ? Promise.reject(new Error('EIO: i/o error, fdatasync')) : file.datasync()),
      sync: () => file.sync(),
      close: () => file.close(),
    };
  },
  readFile: (path) => fs.readFile(path),
  readdir: (path) => fs.readdir(path),
  mkdir: (path, options) => fs.mkdir(path, options),
  rename: (from, to) => fs.rename(from, to),
  unlink: (path) => fs.unlink(path),
  truncate: (path, length) => fs.truncate(path, length),
};

const dir = mkdtempSync(join(tmpdir(), 'concord-flaky-'));
const state = await openThreadSafeState<{ step: number }>({ dir, fs: flakyFs });
await state.set('step', 1); // on disk
failing = true;
const write = state.set('step', 2);
console.log(state.get('step')); // 2: applied in memory at once, not yet durable
const error = await write.catch((caught: unknown) => caught);
if (error instanceof StateJournalError) console.log(error.name, (error.cause as Error).message); // StateJournalError EIO: i/o error, fdatasync
console.log(state.get('step'), state.getVersion()); // 2 2: it stays visible in memory
await state.set('step', 3).catch((refused: unknown) => console.log((refused as Error).name)); // StateJournalError: refused before it is applied
console.log(state.get('step'), state.getVersion()); // 2 2
await state.close(); // releases the directory

failing = false;
const reopened = await openThreadSafeState<{ step: number }>({ dir });
console.log(reopened.get('step'), reopened.getVersion()); // 2 2 here: its record reached the file before the sync failed; a crash could have lost it
await reopened.close();
rmSync(dir, { recursive: true, force: true });
