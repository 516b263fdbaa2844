/**
 * Replicated states through Redis, beside the raw Redis floors and the
 * hand-written WATCH/MULTI peer, on a redis-server of the section's own:
 * writes one awaited at a time and 256 in flight, from 1, 2 and 4 processes,
 * each beside its floor and the peer of the same shape, and the time a write
 * takes to reach another replica beside the time an entry takes to reach a
 * blocked XREAD. `npx tsx bench/redis.ts` alone, or a part of `npm run bench`.
 */
import { lineOf, printLine, type Line } from './line.ts';
import { propagationMicros, receiveMicros } from './redisLatency.ts';
import { PROCESSES, peerLine, processes, replicatedLine, SHAPES } from './redisLineNames.ts';
import { writesPerSecond, type Rejections, type Shape } from './redisProcesses.ts';
import { IN_FLIGHT, REDIS_ROUNDS, ROUND_MS } from './redisRounds.ts';
import { startRedis } from './redisServer.ts';
import { checkRedisTargets } from './redisTargets.ts';
import { printTargets } from './targets.ts';

/** Whether the section ran, on which server and in how many rounds of how long; or why not, starting with 'skipped:' or 'stopped by an error:'. */
export type RedisRun = { ran: true; server: string; rounds: number; roundMs: number } | { ran: false; reason: string };

/** The floors are ioredis alone, run by the first writer process of a group while the others wait. */
const FLOORS = {
  xadd: { subject: 'xadd', inFlight: 1, solo: true },
  pipelined: { subject: 'xadd', inFlight: IN_FLIGHT, solo: true },
  readBack: { subject: 'readBack', inFlight: 1, solo: true },
} as const satisfies Record<string, Shape>;

type Floors = Record<'pipelined' | 'readBack', Line>;
type Measured = Awaited<ReturnType<typeof writesPerSecond>>;

/** Each shape's floor, then the peer, then Concord, their rounds taking turns: each line measured beside what it stands beside. */
const LINES_PLAN: Shape[] = SHAPES.flatMap((inFlight) => [
  inFlight === 1 ? FLOORS.readBack : FLOORS.pipelined,
  { subject: 'watch', inFlight },
  { subject: 'concord', inFlight },
]);

/** Rejected writes are not counted in a line's figure: its note says how many there were, and the first one's error. */
const rejectedNote = ({ count, first }: Rejections) =>
  count === 0 ? undefined : `${count.toLocaleString('en-US')} write${count === 1 ? '' : 's'} rejected, the first with ${first}`;

/** The floors measured beside the lines of `count` processes; named plainly beside one process, and for the group beside more. */
function recordFloors(count: number, { rate }: Measured, record: (line: Line) => Line): Floors {
  const beside = count === 1 ? '' : `, beside ${processes(count)}`;
  if (count === 1) record(lineOf('floor: XADD, one awaited at a time', { value: rate(FLOORS.xadd), unit: 'writes/s' }));
  return {
    pipelined: record(lineOf(`floor: XADD, ${IN_FLIGHT} to a pipeline${beside}`, { value: rate(FLOORS.pipelined), unit: 'writes/s' })),
    readBack: record(
      lineOf(
        `floor: XADD, then XREAD it on a second connection${beside}`,
        { value: rate(FLOORS.readBack), unit: 'writes/s' },
        [],
        count === 1 ? 'one at a time: the floor of a replicated write' : 'one process, one at a time',
      ),
    ),
  };
}

/** The peer's and Concord's lines from `count` processes, each beside the floor of its shape, Concord's beside the peer's too. */
function recordLines(count: number, { rate, rejections }: Measured, floors: Floors, record: (line: Line) => Line): void {
  for (const inFlight of SHAPES) {
    const floor = inFlight === 1 ? floors.readBack : floors.pipelined;
    const watch = { subject: 'watch', inFlight } as const;
    const concord = { subject: 'concord', inFlight } as const;
    const peer = record(lineOf(peerLine(inFlight, count), { value: rate(watch), unit: 'writes/s' }, [floor], rejectedNote(rejections(watch))));
    record(lineOf(replicatedLine(inFlight, count), { value: rate(concord), unit: 'writes/s' }, [floor, peer], rejectedNote(rejections(concord))));
  }
}

async function recordLatencies(url: string, record: (line: Line) => Line): Promise<void> {
  const receive = await receiveMicros(url);
  const receiveP50 = record(lineOf('floor: XADD to a blocked XREAD on a second connection, p50', { value: receive.p50, unit: 'µs' }));
  const receiveP99 = record(lineOf('floor: XADD to a blocked XREAD on a second connection, p99', { value: receive.p99, unit: 'µs' }));
  const propagation = await propagationMicros(url);
  record(lineOf('replicated set to subscribe on another replica, p50', { value: propagation.p50, unit: 'µs' }, [receiveP50]));
  record(lineOf('replicated set to subscribe on another replica, p99', { value: propagation.p99, unit: 'µs' }, [receiveP99]));
}

/**
 * Measures every line of the section and hands each to `record`; skipped,
 * saying why, when no redis-server can be started, and stopped, saying
 * why, at an error: the rest of the benchmark runs on either way.
 */
export async function measureRedis(record: (line: Line) => Line): Promise<RedisRun> {
  const redis = await startRedis();
  if ('reason' in redis) return { ran: false, reason: `skipped: ${redis.reason}` };
  try {
    console.log(`${redis.version} on ${redis.url}, appendonly yes, appendfsync everysec\n`);
    for (const count of PROCESSES) {
      const measured = await writesPerSecond(redis.url, count, count === 1 ? [FLOORS.xadd, ...LINES_PLAN] : LINES_PLAN);
      recordLines(count, measured, recordFloors(count, measured, record), record);
    }
    await recordLatencies(redis.url, record);
    return { ran: true, server: redis.version, rounds: REDIS_ROUNDS, roundMs: ROUND_MS };
  } catch (error) {
    return { ran: false, reason: `stopped by an error: ${error instanceof Error ? error.message : String(error)}` };
  } finally {
    await redis.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const lines: Line[] = [];
  const run = await measureRedis((line) => (lines.push(line), printLine(line), line));
  if (run.ran) {
    console.log();
    printTargets(checkRedisTargets(lines));
  } else console.log(run.reason);
}
