import { join, resolve } from 'node:path';
import { StateLockedError } from '../errors.ts';
import type { JournalFs } from './journalFs.ts';

/** Directories this process holds: a second open from this process is refused too, though the pid is its own. */
const heldHere = new Set<string>();

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** One writer per directory: a LOCK file holding the writer's pid, taken over when that process is gone. */
export class DirectoryLock {
  private constructor(
    readonly dir: string,
    readonly path: string,
    readonly files: JournalFs,
  ) {}

  static async acquire(files: JournalFs, dir: string): Promise<DirectoryLock> {
    const absolute = resolve(dir);
    if (heldHere.has(absolute)) throw new StateLockedError(absolute, process.pid);
    // Reserved before the first await, so two opens in this process cannot both take it.
    heldHere.add(absolute);
    try {
      return await DirectoryLock.#take(files, absolute);
    } catch (error) {
      heldHere.delete(absolute);
      throw error;
    }
  }

  static async #take(files: JournalFs, absolute: string): Promise<DirectoryLock> {
    const path = join(absolute, 'LOCK');
    for (let attempt = 0; ; attempt++) {
      try {
        const handle = await files.open(path, 'wx');
        try {
          await handle.writev([Buffer.from(`${process.pid}\n`)]);
          await handle.sync();
        } finally {
          await handle.close();
        }
        return new DirectoryLock(absolute, path, files);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error;
        const holder = Number.parseInt((await files.readFile(path).catch(() => Buffer.from(''))).toString('utf8'), 10);
        // Left by a process killed before it could release it (kill -9), or half-written by one: take it over.
        if (Number.isInteger(holder) && holder !== process.pid && isAlive(holder)) throw new StateLockedError(absolute, holder);
        await files.unlink(path).catch(() => undefined);
      }
    }
  }

  async release(): Promise<void> {
    heldHere.delete(this.dir);
    await this.files.unlink(this.path).catch(() => undefined);
  }
}
