/**
 * Floors under the durable lines that durable.ts measures without one:
 * reading back a journal (a file of JSON records, each parsed) and writing
 * or loading a snapshot (one JSON document, synced), with node:fs and JSON
 * alone, median of as many rounds as durable.ts takes.
 */
import { closeSync, fdatasyncSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median } from './harness.ts';
import { lineOf, type Line } from './line.ts';

const ROUNDS = Number(process.env.BENCH_DURABLE_ROUNDS ?? 3);

function medianMillis(run: () => unknown): number {
  const times: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const started = performance.now();
    run();
    times.push(performance.now() - started);
  }
  return median(times);
}

function inScratchDir<T>(use: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'concord-bench-durable-floor-'));
  try {
    return use(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Milliseconds to read a file of `records` JSON lines, one commit of one key each, and parse every line. */
function journalReadMillis(records: number): number {
  return inScratchDir((dir) => {
    const file = join(dir, 'journal.jsonl');
    const lines = Array.from({ length: records }, (_, version) =>
      JSON.stringify({
        kind: 'commit',
        version,
        timestamp: 0,
        changedBy: 'agent-1',
        changes: [{ key: `key_${version % 1000}`, operation: 'set', exists: true, value: version }],
      }),
    );
    writeFileSync(file, `${lines.join('\n')}\n`);
    return medianMillis(() => {
      const text = readFileSync(file, 'utf8');
      let parsed = 0;
      for (let start = 0, end = text.indexOf('\n'); end >= 0; start = end + 1, end = text.indexOf('\n', start)) {
        JSON.parse(text.slice(start, end));
        parsed++;
      }
      return parsed;
    });
  });
}

/** Milliseconds to write (JSON.stringify, write, fdatasync) and to load (read, JSON.parse) a document of `keys` keys. */
function snapshotFileMillis(keys: number): { write: number; load: number } {
  return inScratchDir((dir) => {
    const file = join(dir, 'snapshot.json');
    const state = Object.fromEntries(Array.from({ length: keys }, (_, i) => [`key_${i}`, { id: i, name: `item ${i}` }]));
    const write = medianMillis(() => {
      const fd = openSync(file, 'w');
      writeSync(fd, JSON.stringify(state));
      fdatasyncSync(fd);
      closeSync(fd);
    });
    const load = medianMillis(() => JSON.parse(readFileSync(file, 'utf8')) as unknown);
    return { write, load };
  });
}

/** The floors, named by the durable line each stands under. */
export function measureDurableFloors(): Map<string, Line> {
  const floors = new Map<string, Line>();
  for (const versions of [100_000, 1_000_000]) {
    const count = versions.toLocaleString('en-US');
    floors.set(
      `recovery: open a journal of ${count} versions`,
      lineOf(`floor: read ${count} JSON records and parse each`, { value: journalReadMillis(versions), unit: 'ms' }),
    );
  }
  for (const keys of [10_000, 100_000]) {
    const count = keys.toLocaleString('en-US');
    const { write, load } = snapshotFileMillis(keys);
    floors.set(`snapshot of ${count} keys: write`, lineOf(`floor: JSON.stringify, write and fdatasync ${count} keys`, { value: write, unit: 'ms' }));
    floors.set(`snapshot of ${count} keys: load`, lineOf(`floor: read and JSON.parse ${count} keys`, { value: load, unit: 'ms' }));
  }
  return floors;
}
