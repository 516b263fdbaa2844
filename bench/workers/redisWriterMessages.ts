/** What bench/redisProcesses.ts and its writer processes (redisWriter.ts) say to each other over IPC. */
import type { SubjectKind } from '../redisSubjects.ts';

/** To a writer: write through `subject` for `ms`, `inFlight` writes at a time; or close and exit. */
export type ToWriter = { kind: 'round'; subject: SubjectKind; inFlight: number; ms: number } | { kind: 'close' };

/**
 * From a writer: connected; or one round's writes, the writes that rejected
 * and the first rejection's error name, and when, on the wall clock (so that
 * processes compare), it started and ended.
 */
export type FromWriter = { kind: 'ready' } | { kind: 'round'; writes: number; rejected: number; rejection: string | null; started: number; ended: number };
