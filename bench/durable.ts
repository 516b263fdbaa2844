/**
 * Durable writes beside their floors and a peer, measured in one run: the
 * raw cost of one write(2) + fdatasync per record, the same batched into one
 * writev + fdatasync per 256, Concord's durable state in each mode awaited one
 * by one and 256 in flight, and SQLite (WAL, synchronous=FULL) as a user
 * would pick it, one insert per write and one transaction per batch.
 */
import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeSync, writevSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openThreadSafeState, type Durability } from 'concord-state';
import { encodeEffect } from '../src/durable/journalCodec.ts';
import { encodeFrame } from '../src/journal/frame.ts';
import { median } from './harness.ts';
import { lineOf, printLine, type Line, type Unit } from './line.ts';

const IN_FLIGHT = 256;
const DURABLE_ROUNDS = Number(process.env.BENCH_DURABLE_ROUNDS ?? 3);

export interface DurableRow {
  readonly name: string;
  readonly value: number;
  readonly unit: Unit;
  readonly floor?: { readonly name: string; readonly value: number };
}

function scratchDir(): string {
  return mkdtempSync(join(tmpdir(), 'concord-bench-durable-'));
}

/** A record the size Concord's journal writes for a set of a small number. */
const sampleRecord = encodeFrame(
  encodeEffect({
    kind: 'commit',
    version: 1,
    timestamp: Date.now(),
    changedBy: 'agent-1',
    changes: [{ key: 'key_1', operation: 'set', exists: true, value: 1 }],
  }),
);

async function rate(count: number, run: (count: number) => Promise<void> | void): Promise<number> {
  await run(Math.min(count, 50));
  const rates: number[] = [];
  for (let round = 0; round < DURABLE_ROUNDS; round++) {
    const started = performance.now();
    await run(count);
    rates.push((count / (performance.now() - started)) * 1000);
  }
  return median(rates);
}

async function rawFloor(count: number, batch: number, sync: boolean): Promise<number> {
  const dir = scratchDir();
  const fd = openSync(join(dir, 'floor.log'), 'a');
  try {
    return await rate(count, (n) => {
      for (let i = 0; i < n; i += batch) {
        if (batch === 1) writeSync(fd, sampleRecord);
        else
          writevSync(
            fd,
            Array.from({ length: Math.min(batch, n - i) }, () => sampleRecord),
          );
        if (sync) fdatasyncSync(fd);
      }
    });
  } finally {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function concordRate(durability: Durability, count: number, inFlight: number): Promise<number> {
  const dir = scratchDir();
  const state = await openThreadSafeState<Record<string, number>>({ dir, durability });
  let n = 0;
  try {
    return await rate(count, async (total) => {
      for (let i = 0; i < total; i += inFlight) {
        const writes: Promise<number>[] = [];
        for (let j = 0; j < Math.min(inFlight, total - i); j++) writes.push(state.set(`key_${n % 100}`, n++));
        await Promise.all(writes);
      }
    });
  } finally {
    await state.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function sqliteRate(count: number, batch: number): Promise<number> {
  const dir = scratchDir();
  const db = new Database(join(dir, 'state.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE writes (version INTEGER PRIMARY KEY, key TEXT, value TEXT, changed_by TEXT, ts INTEGER)');
  const insert = db.prepare('INSERT INTO writes (key, value, changed_by, ts) VALUES (?, ?, ?, ?)');
  const many = db.transaction((rows: number) => {
    for (let i = 0; i < rows; i++) insert.run(`key_${i % 100}`, String(i), 'agent-1', Date.now());
  });
  try {
    return await rate(count, (n) => {
      for (let i = 0; i < n; i += batch) many(Math.min(batch, n - i));
    });
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Milliseconds to open a journal holding `versions` writes and no snapshot. */
async function recoveryMillis(versions: number): Promise<number> {
  const dir = scratchDir();
  try {
    const writer = await openThreadSafeState<Record<string, number>>({ dir, durability: 'none', snapshotEvery: versions + 1 });
    for (let i = 0; i < versions; i += IN_FLIGHT) {
      const writes: Promise<number>[] = [];
      for (let j = i; j < Math.min(i + IN_FLIGHT, versions); j++) writes.push(writer.set(`key_${j % 1000}`, j));
      await Promise.all(writes);
      // 'none' writes in the background: give the journal its turn.
      await new Promise((resolve) => setImmediate(resolve));
    }
    await writer.close();
    const times: number[] = [];
    for (let round = 0; round < DURABLE_ROUNDS; round++) {
      const started = performance.now();
      const reader = await openThreadSafeState({ dir, durability: 'none' });
      times.push(performance.now() - started);
      await reader.close();
    }
    return median(times);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Milliseconds to write, then to load, a snapshot of `keys` keys. */
async function snapshotMillis(keys: number): Promise<{ write: number; load: number }> {
  const dir = scratchDir();
  try {
    const initialState = Object.fromEntries(Array.from({ length: keys }, (_, i) => [`key_${i}`, { id: i, name: `item ${i}` }]));
    const writes: number[] = [];
    const loads: number[] = [];
    for (let round = 0; round < DURABLE_ROUNDS; round++) {
      rmSync(dir, { recursive: true, force: true });
      // A new directory seeded with initialState writes its snapshot at version 0 before it resolves.
      const started = performance.now();
      const seeded = await openThreadSafeState({ dir, durability: 'fsync', initialState });
      writes.push(performance.now() - started);
      await seeded.close();
      const loadStarted = performance.now();
      const loaded = await openThreadSafeState({ dir, durability: 'fsync' });
      loads.push(performance.now() - loadStarted);
      await loaded.close();
    }
    return { write: median(writes), load: median(loads) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function measureDurable(): Promise<DurableRow[]> {
  const rows: DurableRow[] = [];
  const syncOne = { name: 'write(2) + fdatasync per record', value: await rawFloor(300, 1, true) };
  const syncBatch = { name: `writev + fdatasync per ${IN_FLIGHT} records`, value: await rawFloor(20_000, IN_FLIGHT, true) };
  const writeOne = { name: 'write(2) per record, no sync', value: await rawFloor(20_000, 1, false) };
  rows.push({ ...syncOne, unit: 'records/s' }, { ...syncBatch, unit: 'records/s' }, { ...writeOne, unit: 'records/s' });
  rows.push({ name: "durable set, 'fsync', one awaited at a time", value: await concordRate('fsync', 300, 1), unit: 'writes/s', floor: syncOne });
  rows.push({ name: `durable set, 'fsync', ${IN_FLIGHT} in flight`, value: await concordRate('fsync', 20_000, IN_FLIGHT), unit: 'writes/s', floor: syncBatch });
  rows.push({ name: "durable set, 'write', one awaited at a time", value: await concordRate('write', 20_000, 1), unit: 'writes/s', floor: writeOne });
  rows.push({ name: `durable set, 'write', ${IN_FLIGHT} in flight`, value: await concordRate('write', 20_000, IN_FLIGHT), unit: 'writes/s', floor: writeOne });
  rows.push({ name: `durable set, 'none', ${IN_FLIGHT} in flight`, value: await concordRate('none', 20_000, IN_FLIGHT), unit: 'writes/s', floor: writeOne });
  rows.push({ name: 'SQLite WAL synchronous=FULL, one insert per write', value: await sqliteRate(300, 1), unit: 'writes/s', floor: syncOne });
  rows.push({
    name: `SQLite WAL synchronous=FULL, ${IN_FLIGHT} inserts per transaction`,
    value: await sqliteRate(20_000, IN_FLIGHT),
    unit: 'writes/s',
    floor: syncBatch,
  });
  for (const versions of [100_000, 1_000_000])
    rows.push({ name: `recovery: open a journal of ${versions.toLocaleString('en-US')} versions`, value: await recoveryMillis(versions), unit: 'ms' });
  for (const keys of [10_000, 100_000]) {
    const { write, load } = await snapshotMillis(keys);
    rows.push(
      { name: `snapshot of ${keys.toLocaleString('en-US')} keys: write`, value: write, unit: 'ms' },
      { name: `snapshot of ${keys.toLocaleString('en-US')} keys: load`, value: load, unit: 'ms' },
    );
  }
  return rows;
}

/**
 * The rows as lines: the disk floors as floors, each Concord and SQLite line
 * beside the floor that syncs as it does, and the lines durable.ts has no
 * floor for beside the one `floors` names for them (see durableFloors.ts).
 */
export function durableLines(rows: readonly DurableRow[], floors: ReadonlyMap<string, Line> = new Map()): Line[] {
  return rows.flatMap((row) => {
    const floor = row.floor === undefined ? floors.get(row.name) : { ...row.floor, unit: 'records/s' as const };
    const line = lineOf(row.name, row, floor === undefined ? [] : [floor]);
    const ownFloor = floors.get(row.name);
    return ownFloor === undefined ? [line] : [ownFloor, line];
  });
}

if (import.meta.url === `file://${process.argv[1]}`) for (const line of durableLines(await measureDurable())) printLine(line);
