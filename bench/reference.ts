/**
 * The reference's Python (../shared/reference/python/bench_ref.py), run from
 * the bench when python3 with pydantic v2 is present, and its figures mapped
 * onto the Concord lines doing the same work. Without python3 or pydantic v2,
 * or when the script fails, the section says it was skipped and why; the
 * bench goes on either way.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { lineOf, type Line, type Unit } from './line.ts';

const SCRIPT = fileURLToPath(new URL('../../shared/reference/python/bench_ref.py', import.meta.url));
/** Its README gives about 1 min 40 s on this machine; a run three times as long has gone wrong. */
const TIMEOUT_MS = 6 * 60_000;

const MeasuredSchema = z.object({ ops_per_s: z.number(), us_per_op: z.number() });
const ReferenceJsonSchema = z.object({
  python: z.string(),
  record_impl: z.string(),
  started_utc: z.string(),
  duration_s: z.number(),
  results: z.record(z.string(), z.unknown()),
});

export type ReferenceRun =
  | { ran: true; python: string; recordImpl: string; startedUtc: string; durationSeconds: number; results: Record<string, unknown> }
  | { ran: false; reason: string };

const lastLine = (text: string) => text.trim().split('\n').at(-1) ?? '';

/** Runs bench_ref.py once, blocking (nothing else may run beside it: the machine has 2 cores). */
export function runReference(): ReferenceRun {
  const check = spawnSync('python3', ['-c', 'import sys, pydantic; sys.exit(0 if pydantic.VERSION.startswith("2.") else 3)'], { encoding: 'utf8' });
  if (check.error !== undefined) return { ran: false, reason: `python3 could not be started (${check.error.message})` };
  if (check.status !== 0) return { ran: false, reason: 'python3 has no pydantic v2' };
  const dir = mkdtempSync(join(tmpdir(), 'concord-bench-reference-'));
  try {
    // --out keeps the script from writing beside itself: its folder is read-only for the bench.
    const run = spawnSync('python3', [SCRIPT, '--out', join(dir, 'reference.json')], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: TIMEOUT_MS });
    if (run.error !== undefined) return { ran: false, reason: `bench_ref.py did not finish (${run.error.message})` };
    if (run.status !== 0) return { ran: false, reason: `bench_ref.py exited with ${run.status}: ${lastLine(run.stderr)}` };
    let json: unknown;
    try {
      json = JSON.parse(run.stdout);
    } catch (error) {
      return { ran: false, reason: `bench_ref.py printed no JSON (${String(error)})` };
    }
    const parsed = ReferenceJsonSchema.safeParse(json);
    if (!parsed.success) return { ran: false, reason: `bench_ref.py printed JSON of another shape (${parsed.error.message})` };
    const { python, record_impl, started_utc, duration_s, results } = parsed.data;
    return { ran: true, python, recordImpl: record_impl, startedUtc: started_utc, durationSeconds: duration_s, results };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Where a Python figure's Concord counterpart is: a line of this run by name, or Concord's row of the peers' table. */
export type Counterpart = { line: string } | { workload: string; keys: number };

interface Mapping {
  /** The figure's path in the JSON's `results`, dots between levels. */
  python: string;
  concord: Counterpart;
  /** What differs between the two, when something does. */
  note?: string;
}

const DICT = 'both hold small objects {n, tag}';
const INTS = 'both hold numbers';

const MAPPINGS: readonly Mapping[] = [
  ...[10, 1000, 10_000].flatMap((keys): Mapping[] => [
    { python: `set.${keys}`, concord: { line: `set, a small object, ${keys.toLocaleString('en-US')} keys` }, note: DICT },
    { python: `get.${keys}`, concord: { line: `get, a small object (cloned), ${keys.toLocaleString('en-US')} keys` }, note: 'both copy a small object' },
  ]),
  { python: 'set_int_values_1000', concord: { workload: 'set', keys: 1000 }, note: INTS },
  { python: 'get_int_values_1000', concord: { workload: 'get', keys: 1000 }, note: INTS },
  { python: 'update_100_keys_on_1000', concord: { line: 'update of 100 small objects, 1,000 keys' }, note: DICT },
  { python: 'snapshot_1000_keys_cache_miss', concord: { line: 'snapshot(), first after a write, 1,000 small objects' }, note: DICT },
  { python: 'snapshot_1000_int_keys_cache_miss', concord: { line: 'snapshot(), first after a write, 1,000 keys' }, note: INTS },
  {
    python: 'snapshot_1000_keys_cache_hit',
    concord: { line: 'snapshot(), cache hit' },
    note: 'Python holds small objects, Concord numbers: a hit copies nothing',
  },
  { python: 'rollback_10_on_1000', concord: { line: 'rollback over 10 versions, 1,000 small objects' }, note: DICT },
  { python: 'rollback_100_on_1000', concord: { line: 'rollback over 100 versions, 1,000 small objects' }, note: DICT },
  {
    python: 'doc_read_heavy_90get_10set_100keys_10000ops',
    concord: { line: 'read-heavy 90% get / 10% set, 100 keys' },
    note: "the design document's loop, numbers",
  },
  {
    python: 'doc_write_heavy_10get_90set_100keys_10000ops',
    concord: { line: 'write-heavy 10% get / 90% set, 100 keys' },
    note: "the design document's loop, numbers",
  },
  ...[1, 2, 4].map((threads) => ({
    python: `threads_set_own_keys_1000.${threads}`,
    concord: { line: `worker agents: ${threads} writing at once` },
    note: `${threads} Python thread${threads === 1 ? '' : 's'} beside as many worker agents, one command in flight each; Python writes small objects`,
  })),
  {
    python: 'threads_set_own_keys_1000.4',
    concord: { line: 'worker agents: 4 writing at once, 256 in flight each' },
    note: '4 Python threads beside 4 worker agents; Python writes small objects',
  },
];

export const PYTHON = 'Python';

function figureAt(results: Record<string, unknown>, path: string): z.infer<typeof MeasuredSchema> | undefined {
  let node: unknown = results;
  for (const part of path.split('.')) node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[part] : undefined;
  const measured = MeasuredSchema.safeParse(node);
  return measured.success ? measured.data : undefined;
}

/** Every path in `results` that holds a figure. */
function figurePaths(node: unknown, prefix = ''): string[] {
  if (MeasuredSchema.safeParse(node).success) return [prefix];
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([key, child]) => figurePaths(child, prefix === '' ? key : `${prefix}.${key}`));
}

/** The Python figure in `unit`: its rate for a rate, its time per operation for a time. */
function inUnit({ ops_per_s, us_per_op }: z.infer<typeof MeasuredSchema>, unit: Unit): number {
  if (unit.endsWith('/s')) return ops_per_s;
  return unit === 'ms' ? us_per_op / 1000 : us_per_op;
}

export interface ReferenceComparison {
  /** Concord's lines, each measured against its Python figure (named `Python <path>`). */
  lines: Line[];
  /** Python figures with no Concord line beside them, each with why. */
  unmatched: string[];
}

const counterpartText = (counterpart: Counterpart) => ('line' in counterpart ? counterpart.line : `${counterpart.workload}, ${counterpart.keys} keys`);

/** Each mapped Python figure beside its Concord line; `find` looks a Concord figure up. */
export function compareWithReference(run: Extract<ReferenceRun, { ran: true }>, find: (counterpart: Counterpart) => Line | undefined): ReferenceComparison {
  const lines: Line[] = [];
  const unmatched: string[] = [];
  for (const mapping of MAPPINGS) {
    const concord = find(mapping.concord);
    const python = figureAt(run.results, mapping.python);
    if (python === undefined) unmatched.push(`${mapping.python}: not in the JSON`);
    else if (concord === undefined) unmatched.push(`${mapping.python}: Concord's "${counterpartText(mapping.concord)}" was not measured`);
    else
      lines.push(
        lineOf(concord.name, concord, [{ name: `${PYTHON} ${mapping.python}`, value: inUnit(python, concord.unit), unit: concord.unit }], mapping.note),
      );
  }
  const mapped = new Set(MAPPINGS.map((mapping) => mapping.python));
  for (const path of figurePaths(run.results)) if (!mapped.has(path)) unmatched.push(`${path}: no Concord line does the same work`);
  return { lines, unmatched };
}
