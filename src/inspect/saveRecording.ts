import { renameSync, writeFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import type { Recording } from './recording.ts';

let saves = 0;

/** Beside the target, so the rename stays on one file system; one name per save, so two saves never share one. */
const tempPathFor = (path: string) => `${path}.${process.pid}-${++saves}.tmp`;

/**
 * Writes the recording as JSON to a file beside `path`, then renames it over
 * `path`: whoever reads the file, and a save that overlaps this one, sees a
 * whole recording, never half of one.
 */
export async function saveRecording(path: string, recording: Recording): Promise<void> {
  const temp = tempPathFor(path);
  await writeFile(temp, JSON.stringify(recording));
  await rename(temp, path);
}

/** `saveRecording`, synchronously: for `process.on('exit')`, where nothing asynchronous runs any more. */
export function saveRecordingSync(path: string, recording: Recording): void {
  const temp = tempPathFor(path);
  writeFileSync(temp, JSON.stringify(recording));
  renameSync(temp, path);
}
