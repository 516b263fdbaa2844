/**
 * How the Redis section times its lines: rounds of a fixed length rather
 * than of a fixed count, so that a subject a hundred times slower than its
 * floor (a contended WATCH) takes no longer to measure. Medians of
 * REDIS_ROUNDS rounds after a warm-up round of half the length, the rounds of
 * the lines one group of processes measures taking turns (redisProcesses.ts).
 */
import { median } from './harness.ts';

export const REDIS_ROUNDS = Number(process.env.BENCH_REDIS_ROUNDS ?? 3);
export const ROUND_MS = Number(process.env.BENCH_REDIS_ROUND_MS ?? 1000);
export const IN_FLIGHT = 256;

/** The value below which `fraction` of `values` fall (nearest rank). */
export function percentile(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))] ?? Number.NaN;
}

/** Median over the rounds of each round's p50 and p99 of the microseconds `sample` returns, called again until the round's time is up. */
export async function medianLatency(sample: () => Promise<number>): Promise<{ p50: number; p99: number }> {
  const round = async (ms: number) => {
    const micros: number[] = [];
    const started = performance.now();
    do micros.push(await sample());
    while (performance.now() - started < ms);
    return { p50: percentile(micros, 0.5), p99: percentile(micros, 0.99) };
  };
  await round(ROUND_MS / 2);
  const rounds: { p50: number; p99: number }[] = [];
  for (let i = 0; i < REDIS_ROUNDS; i++) rounds.push(await round(ROUND_MS));
  return { p50: median(rounds.map(({ p50 }) => p50)), p99: median(rounds.map(({ p99 }) => p99)) };
}
