/** The names of the Redis section's writing lines, which bench/redis.ts prints and bench/redisTargets.ts looks up. */
import { IN_FLIGHT } from './redisRounds.ts';

export const PROCESSES = [1, 2, 4] as const;
export const SHAPES = [1, IN_FLIGHT] as const;

export const processes = (count: number) => `${count} process${count === 1 ? '' : 'es'}`;
const shape = (inFlight: number) => (inFlight === 1 ? 'one awaited at a time' : `${inFlight} in flight`);

export const replicatedLine = (inFlight: number, count: number) => `replicated set, ${shape(inFlight)}, ${processes(count)}`;
export const peerLine = (inFlight: number, count: number) => `peer: WATCH/MULTI/EXEC on a hash, ${shape(inFlight)}, ${processes(count)}`;
