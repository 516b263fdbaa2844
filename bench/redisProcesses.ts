/**
 * Writes from several processes at once: one writer process each
 * (bench/workers/redisWriter.ts, node itself with tsx's loader, so that its
 * pid is the writer's), all on one state, each round started in all of them
 * together and timed from the first start to the last end. The same
 * processes write through each subject in turn (Concord, the peer, the raw
 * floors). A writer that hangs is killed by its pid at the deadline.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { median } from './harness.ts';
import { REDIS_ROUNDS, ROUND_MS } from './redisRounds.ts';
import type { SubjectKind } from './redisSubjects.ts';
import type { FromWriter, ToWriter } from './workers/redisWriterMessages.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const script = fileURLToPath(new URL('./workers/redisWriter.ts', import.meta.url));
/** Far more than a group of processes takes: starting, every round of every shape, closing. */
const DEADLINE_MS = 120_000;

type Round = Extract<FromWriter, { kind: 'round' }>;

interface Writer {
  readonly child: ChildProcess;
  next<K extends FromWriter['kind']>(kind: K): Promise<Extract<FromWriter, { kind: K }>>;
  send(message: ToWriter): void;
}

function startWriter(url: string, name: string, label: string, failed: (error: Error) => void): Writer {
  const child = spawn(process.execPath, ['--import', 'tsx', script, url, name, label], { cwd: root, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const inbox: FromWriter[] = [];
  let waiting: (() => void) | null = null;
  child.on('message', (message: FromWriter) => (inbox.push(message), waiting?.()));
  child.on('exit', (code, signal) => {
    if (code !== 0) failed(new Error(`writer ${label} exited with ${code ?? signal}: ${stderr.trim()}`));
  });
  const next = async <K extends FromWriter['kind']>(kind: K): Promise<Extract<FromWriter, { kind: K }>> => {
    for (;;) {
      const index = inbox.findIndex((message) => message.kind === kind);
      if (index >= 0) return inbox.splice(index, 1)[0] as Extract<FromWriter, { kind: K }>;
      await new Promise<void>((resolve) => (waiting = resolve));
      waiting = null;
    }
  };
  return { child, next, send: (message) => child.send(message) };
}

/** Writes that rejected in a line's rounds, warm-up included, and the first one's error name. */
export interface Rejections {
  count: number;
  first: string | null;
}

/** Writes per second of all `writers` in one round, every write over the time from the first start to the last end; rejections added to `rejections`. */
async function round(writers: readonly Writer[], subject: SubjectKind, inFlight: number, ms: number, rejections: Rejections): Promise<number> {
  for (const writer of writers) writer.send({ kind: 'round', subject, inFlight, ms });
  const rounds: Round[] = await Promise.all(writers.map((writer) => writer.next('round')));
  for (const { rejected, rejection } of rounds) {
    rejections.count += rejected;
    rejections.first ??= rejection;
  }
  const writes = rounds.reduce((sum, { writes }) => sum + writes, 0);
  const span = Math.max(...rounds.map(({ ended }) => ended)) - Math.min(...rounds.map(({ started }) => started));
  return (writes / span) * 1000;
}

/** A subject, written through with `inFlight` writes at a time in each process; by the first process alone when `solo` (a floor). */
export interface Shape {
  readonly subject: SubjectKind;
  readonly inFlight: number;
  readonly solo?: boolean;
}

/**
 * Median writes per second of `processes` writer processes on one new state,
 * in each shape of `plan`: a warm-up round of each, then REDIS_ROUNDS rounds
 * of each shape in turn; `rate(shape)` reads them, and `rejections(shape)`
 * the writes that rejected.
 */
export async function writesPerSecond(url: string, processes: number, plan: readonly Shape[]) {
  const name = `bench-${processes}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  let fail: (error: Error) => void = () => undefined;
  const failure = new Promise<never>((_, reject) => (fail = reject));
  const writers = Array.from({ length: processes }, (_, i) => startWriter(url, name, `writer${i + 1}`, fail));
  const deadline = setTimeout(() => fail(new Error(`${processes} writer processes did not finish within ${DEADLINE_MS / 1000} s`)), DEADLINE_MS);
  const measure = async () => {
    await Promise.all(writers.map((writer) => writer.next('ready')));
    const measured: { shape: Shape; rates: number[]; rejections: Rejections }[] = plan.map((shape) => ({
      shape,
      rates: [],
      rejections: { count: 0, first: null },
    }));
    // Each shape's rounds take turns with the other shapes', so that a line and what it stands beside see the machine in the same state.
    const inTurn = async (ms: number, timed: boolean) => {
      for (const { shape, rates, rejections } of measured) {
        const rate = await round(shape.solo === true ? writers.slice(0, 1) : writers, shape.subject, shape.inFlight, ms, rejections);
        if (timed) rates.push(rate);
      }
    };
    await inTurn(ROUND_MS / 2, false);
    for (let i = 0; i < REDIS_ROUNDS; i++) await inTurn(ROUND_MS, true);
    const find = (wanted: Shape) => measured.find(({ shape }) => shape.subject === wanted.subject && shape.inFlight === wanted.inFlight);
    const exits = writers.map(({ child }) => new Promise((resolve) => child.once('exit', resolve)));
    for (const writer of writers) writer.send({ kind: 'close' });
    await Promise.all(exits);
    return {
      rate: (shape: Shape) => median(find(shape)?.rates ?? []),
      rejections: (shape: Shape) => find(shape)?.rejections ?? { count: 0, first: null },
    };
  };
  try {
    return await Promise.race([measure(), failure]);
  } finally {
    clearTimeout(deadline);
    // child.kill signals the writer's pid, and ignores one that has just exited.
    for (const { child } of writers) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}
