/**
 * What the Redis section's writer processes write through: Concord's
 * replicated state, the hand-written WATCH/MULTI peer, or a raw Redis floor,
 * behind one shape so that all of them run the same loop.
 */
import { connectThreadSafeState } from 'concord-state/redis';
import { readBackFloor, xaddFloor } from './redisFloors.ts';
import { WatchPeer } from './redisPeer.ts';

export type SubjectKind = 'concord' | 'watch' | 'xadd' | 'readBack';

/**
 * One write of each of `keys` at once, settled together: each written
 * (true), given up at `giveUpAt` on performance.now() (false; only the peer
 * gives up), or rejected.
 */
export type Batch = (keys: readonly string[], giveUpAt: number) => Promise<PromiseSettledResult<boolean>[]>;

export interface RedisSubject {
  /** Ready to write `inFlight` at a time (its connections open, so that opening them is not timed). */
  batch(inFlight: number): Promise<Batch>;
  close(): Promise<void>;
}

/** Any number of sets may be in flight on one replicated state, and none is given up. */
async function replicated(url: string, name: string): Promise<RedisSubject> {
  const state = await connectThreadSafeState<Record<string, number>>({ url, name });
  let value = 0;
  const batch: Batch = (keys) => Promise.allSettled(keys.map(async (key) => (await state.set(key, value++), true)));
  return { batch: () => Promise.resolve(batch), close: () => state.close() };
}

/** Connects to the state `name` as `kind`. */
export function openSubject(kind: SubjectKind, url: string, name: string): Promise<RedisSubject> {
  switch (kind) {
    case 'concord':
      return replicated(url, name);
    case 'watch':
      return Promise.resolve(new WatchPeer(url, name));
    case 'xadd':
      return Promise.resolve(xaddFloor(url, name));
    case 'readBack':
      return Promise.resolve(readBackFloor(url, name));
  }
}
