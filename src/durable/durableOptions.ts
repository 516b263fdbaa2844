import { z } from 'zod';
import { StateOptionsError } from '../errors.ts';
import type { Durability } from '../journal/journal.ts';
import type { JournalFs } from '../journal/journalFs.ts';
import type { ThreadSafeStateOptions } from '../options.ts';

/** Options of `openThreadSafeState`: every `createThreadSafeState` option, and where and how to keep the journal. */
export interface OpenThreadSafeStateOptions<T> extends ThreadSafeStateOptions<T> {
  /** The journal's directory, created when missing; one writer at a time. */
  dir: string;
  /**
   * When a write resolves: 'fsync' once its record is on disk, 'write' once
   * written to the OS (survives kill -9, not power loss), 'none' at once
   * (tests and benchmarks). @default 'fsync'
   */
  durability?: Durability;
  /** 'truncate': open a journal with a damaged record up to the last good one, dropping the rest. */
  repair?: 'truncate';
  /** Versions between snapshots, after which the journal's older segments are deleted. An integer >= 1. @default 10000 */
  snapshotEvery?: number;
  /** The file operations, for tests that make writes or syncs fail. @default node:fs */
  fs?: JournalFs;
}

const DurableOptionsSchema = z.object({
  dir: z.string().min(1, 'dir must be a non-empty path'),
  durability: z.enum(['fsync', 'write', 'none']).optional(),
  repair: z.literal('truncate').optional(),
  snapshotEvery: z.number().int().min(1, 'snapshotEvery must be an integer >= 1').optional(),
  fs: z.custom<JournalFs>((value) => typeof value === 'object' && value !== null, { message: 'fs must be a file-operations object' }).optional(),
});

const DURABLE_KEYS = new Set(Object.keys(DurableOptionsSchema.shape));

/** Splits and checks the journal's own options; the rest are checked as createThreadSafeState checks them. */
export function splitDurableOptions<T>(options: OpenThreadSafeStateOptions<T>): {
  journal: z.infer<typeof DurableOptionsSchema>;
  state: ThreadSafeStateOptions<T>;
} {
  if (typeof options !== 'object' || options === null)
    throw new StateOptionsError([{ path: [], message: 'openThreadSafeState needs an options object with a dir' }]);
  const own = Object.fromEntries(Object.entries(options).filter(([key]) => DURABLE_KEYS.has(key)));
  const parsed = DurableOptionsSchema.safeParse(own);
  if (!parsed.success) throw new StateOptionsError(parsed.error.issues.map(({ path, message }) => ({ path, message })));
  const state = Object.fromEntries(Object.entries(options).filter(([key]) => !DURABLE_KEYS.has(key))) as ThreadSafeStateOptions<T>;
  return { journal: parsed.data, state };
}
