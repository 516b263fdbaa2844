/**
 * Kill -9 of a real child process writing to a durable state, at random
 * moments, then reopening: nothing the child saw acknowledged is lost.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openThreadSafeState, type Durability, type StateChangeRecord } from 'concord-state';

const root = fileURLToPath(new URL('../..', import.meta.url));
const writer = fileURLToPath(new URL('./fixtures/crashWriter.ts', import.meta.url));
const ROUNDS = 20;
// The writer's and the reopen's window, the default: a fast machine writes more records than it holds in one round.
const MAX_HISTORY = 1000;

interface Acknowledged {
  readonly version: number;
  readonly contents: Record<string, unknown>;
  readonly records: StateChangeRecord[];
}

/** Runs the writer until `afterMs` past its first write, then kills it with SIGKILL; resolves with what it acknowledged. */
function runAndKill(dir: string, durability: Durability, afterMs: number): Promise<Acknowledged[]> {
  return new Promise((resolve, reject) => {
    // node itself with tsx's loader, not the tsx command, which would run the writer in a child of its own that a kill would miss.
    const child = spawn(process.execPath, ['--import', 'tsx', writer, dir, durability, String(MAX_HISTORY)], { cwd: root });
    let buffered = '';
    let stderr = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      if (buffered === '' && chunk.startsWith('ready\n')) setTimeout(() => child.kill('SIGKILL'), afterMs);
      buffered += chunk;
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // Whatever goes wrong, the writer does not outlive its round: killed by its pid after 30 s at the latest.
    const deadline = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(deadline);
      if (signal !== 'SIGKILL') return reject(new Error(`the writer exited with ${code}: ${stderr}`));
      // The last line may be cut by the kill: only whole lines were reported.
      const lines = buffered.split('\n').slice(1, -1);
      resolve(lines.map((line) => JSON.parse(line) as Acknowledged));
    });
  });
}

const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

describe.each<Durability>(['fsync', 'write'])("kill -9 of a writer in '%s' mode", (durability) => {
  it(`loses no acknowledged write over ${ROUNDS} rounds`, { timeout: 240_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), `concord-crash-${durability}-`));
    try {
      let acknowledgedInAll = 0;
      for (let round = 0; round < ROUNDS; round++) {
        const afterMs = 20 + Math.floor(Math.random() * 300);
        const acknowledged = await runAndKill(dir, durability, afterMs);
        const context = `round ${round}, killed ${afterMs} ms after its first write`;
        acknowledgedInAll += acknowledged.length;
        const state = await openThreadSafeState<Record<string, unknown>>({ dir, durability, maxHistorySize: MAX_HISTORY });
        try {
          const last = acknowledged.at(-1);
          if (last === undefined) continue;
          expect(state.getVersion(), context).toBeGreaterThanOrEqual(last.version);
          // The history window, oldest first, holds the newest acknowledged versions as the child saw them.
          const first = (acknowledged[0] as Acknowledged).version;
          const history = state.getHistory().reverse();
          const oldestKept = history[0]?.version ?? Number.POSITIVE_INFINITY;
          const kept = acknowledged.filter((entry) => entry.version >= oldestKept);
          const recovered = history.filter((record) => record.version >= first && record.version <= last.version);
          expect(plain(recovered), context).toEqual(plain(kept.flatMap((entry) => [...entry.records].reverse())));
          // An older one left the window only because the window was full: one more version would not have fit.
          const newestDropped = acknowledged.filter((entry) => entry.version < oldestKept).at(-1);
          if (newestDropped !== undefined) expect(history.length + newestDropped.records.length, context).toBeGreaterThan(MAX_HISTORY);
          // Every acknowledged version in the window reads back as the child had it.
          for (const entry of kept) expect(plain({ ...state.snapshotAt(entry.version) }), `${context}, version ${entry.version}`).toEqual(entry.contents);
          // A rollback into the recovered window gives that version's contents.
          const earlier = kept.filter((entry) => entry.version < state.getVersion());
          const target = earlier[Math.floor(Math.random() * earlier.length)];
          if (target !== undefined) {
            await state.rollback(target.version, { changedBy: 'crash-test' });
            expect(plain({ ...state.snapshot() }), context).toEqual(target.contents);
          }
        } finally {
          await state.close();
        }
      }
      expect(acknowledgedInAll).toBeGreaterThan(ROUNDS);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
