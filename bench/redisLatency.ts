/**
 * How long a write takes to reach another reader, timed in this process (one
 * clock for both ends), one write at a time: an XADD to a blocked XREAD on
 * a second connection, the floor; and a replicated `set` on one replica to
 * the `subscribe` listener of another replica of the state firing for it.
 */
import { connectThreadSafeState } from 'concord-state/redis';
import { Redis } from 'ioredis';
import { appendSample, BLOCK_MS, idsIn } from './redisEntry.ts';
import { medianLatency } from './redisRounds.ts';

type Percentiles = Awaited<ReturnType<typeof medianLatency>>;

const uniqueName = (label: string) => `bench-${label}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

/** Median over the rounds of the p50 and p99 microseconds from XADD to a blocked XREAD on a second connection returning the entry. */
export async function receiveMicros(url: string): Promise<Percentiles> {
  const writer = new Redis(url);
  const reader = new Redis(url);
  const stream = `bench:floor:{${uniqueName('receive')}}:stream`;
  const arrived = new Map<string, number>();
  const waiting = new Map<string, (at: number) => void>();
  let stopped = false;
  const reading = (async () => {
    for (let after = '0-0'; !stopped;) {
      const ids = idsIn(await reader.xreadBuffer('COUNT', 1000, 'BLOCK', BLOCK_MS, 'STREAMS', stream, after).catch(() => null));
      const at = performance.now();
      for (const id of ids) {
        after = id;
        const waiter = waiting.get(id);
        if (waiter === undefined) arrived.set(id, at);
        else waiter(at);
      }
    }
  })();
  // The entry may arrive on the reader before the XADD's reply reaches the writer.
  const arrival = (id: string) => {
    const at = arrived.get(id);
    return at === undefined ? new Promise<number>((resolve) => waiting.set(id, resolve)) : Promise.resolve(at);
  };
  try {
    return await medianLatency(async () => {
      const started = performance.now();
      const id = await appendSample(writer, stream);
      const at = await arrival(id);
      arrived.delete(id);
      waiting.delete(id);
      return (at - started) * 1000;
    });
  } finally {
    stopped = true;
    // A read blocked in Redis ends at once when its connection closes.
    reader.disconnect();
    await reading;
    await writer.del(stream);
    writer.disconnect();
  }
}

/** Median over the rounds of the p50 and p99 microseconds from `set` on one replica to `subscribe` firing on another. */
export async function propagationMicros(url: string): Promise<Percentiles> {
  const name = uniqueName('propagation');
  const writer = await connectThreadSafeState<Record<string, number>>({ url, name });
  const watcher = await connectThreadSafeState<Record<string, number>>({ url, name });
  let seen: ((at: number) => void) | null = null;
  const unsubscribe = watcher.subscribe(() => seen?.(performance.now()));
  let i = 0;
  try {
    return await medianLatency(async () => {
      const arrived = new Promise<number>((resolve) => (seen = resolve));
      const started = performance.now();
      const written = writer.set(`key_${i % 100}`, i++);
      const at = await arrived;
      await written;
      return (at - started) * 1000;
    });
  } finally {
    unsubscribe();
    await Promise.all([writer.close(), watcher.close()]);
  }
}
