/** Median-of-rounds timing. Benchmarks only: never used by tests. */

export const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Median operations per second of `ops` calls of a synchronous `run`, after one warm-up round. */
export function opsPerSecond(ops: number, run: () => void, rounds = ROUNDS): number {
  run();
  const rates: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const started = performance.now();
    run();
    rates.push((ops / (performance.now() - started)) * 1000);
  }
  return median(rates);
}

/** The same for an async `run`. */
export async function opsPerSecondAsync(ops: number, run: () => Promise<void>): Promise<number> {
  await run();
  const rates: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const started = performance.now();
    await run();
    rates.push((ops / (performance.now() - started)) * 1000);
  }
  return median(rates);
}

/** A full garbage collection, when the run has --expose-gc (npm run bench does); otherwise nothing. */
export const collectGarbage = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

/**
 * The median of each subject's rates over `rounds` rounds (after
 * `warmUpRounds` untimed ones), the subjects' rounds taking turns, one of
 * each, then again, with a collection before each round: a ratio between two
 * of them is measured under the same load, and no round collects the garbage
 * of another. Each subject's round resolves with its rate.
 */
export async function ratesInTurns(subjects: readonly (() => Promise<number>)[], rounds: number, warmUpRounds = 0): Promise<number[]> {
  const rates = subjects.map((): number[] => []);
  for (let round = 0; round < warmUpRounds + rounds; round++) {
    for (const [i, subject] of subjects.entries()) {
      collectGarbage();
      const rate = await subject();
      if (round >= warmUpRounds) rates[i]?.push(rate);
    }
  }
  return rates.map(median);
}

/** Untimed calls before timing `microsPerCall`, so the JIT has compiled the path being measured. */
const WARM_UP_CALLS = 100;

/** Median microseconds of one call of `once`, each call preceded by `prepare` (not timed). */
export async function microsPerCall(prepare: () => Promise<void> | void, once: () => unknown, calls = 300): Promise<number> {
  const times: number[] = [];
  for (let call = -WARM_UP_CALLS; call < calls; call++) {
    await prepare();
    const started = performance.now();
    await once();
    const elapsed = (performance.now() - started) * 1000;
    if (call >= 0) times.push(elapsed);
  }
  return median(times);
}

/**
 * Median microseconds of `once`, each call but the first preceded by
 * `prepare` (untimed), for at most `maxCalls` calls and, past the first
 * `minCalls`, no longer than `budgetMs` in all: the first call warms up and
 * is counted only when it is the only one. For calls that take from
 * microseconds to seconds, depending on the subject and the key count.
 */
export async function microsPerCallWithin(
  prepare: () => Promise<void> | void,
  once: () => unknown,
  { budgetMs, minCalls = 3, maxCalls = 300 }: { budgetMs: number; minCalls?: number; maxCalls?: number },
): Promise<{ micros: number; calls: number }> {
  const times: number[] = [];
  const started = performance.now();
  for (let call = 0; call < maxCalls && (call < minCalls || performance.now() - started < budgetMs); call++) {
    if (call > 0) await prepare();
    const callStarted = performance.now();
    const result = once();
    if (result instanceof Promise) await result;
    times.push((performance.now() - callStarted) * 1000);
  }
  const counted = times.length > 1 ? times.slice(1) : times;
  return { micros: median(counted), calls: counted.length };
}

export function keyNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `key_${i}`);
}

export function numberedState(count: number): Record<string, number> {
  return Object.fromEntries(keyNames(count).map((key, i) => [key, i]));
}
