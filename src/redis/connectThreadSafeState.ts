import { randomUUID } from 'node:crypto';
import { Redis, type RedisOptions } from 'ioredis';
import type { z } from 'zod';
import { StateOptionsError } from '../errors.ts';
import { createStateConfig, type SchemaStateOptions } from '../options.ts';
import type { StateShape } from '../threadSafeState.ts';
import type { StateObjectSchema } from '../values/valueGuard.ts';
import { StateUnavailableError } from './redisErrors.ts';
import { redisKeys } from './redisKeys.ts';
import { splitRedisOptions, type ConnectThreadSafeStateOptions } from './redisOptions.ts';
import { openReplica } from './openReplica.ts';
import { Replica } from './replica.ts';
import { encodeReplicaSnapshot } from './replicaSnapshot.ts';
import { ReplicatedState } from './replicatedState.ts';
import type { ReplicatedThreadSafeState } from './replicatedThreadSafeState.ts';
import { CREATE_OR_READ } from './scripts.ts';
import { SnapshotPublisher } from './snapshotPublisher.ts';

/**
 * Concord's own connection settings: commands fail at once while Redis is
 * away (no offline queue, nothing re-sent behind Concord's back), and ioredis
 * reconnects for ever, so a replica resumes by itself.
 */
const CONNECTION: RedisOptions = {
  lazyConnect: true,
  enableOfflineQueue: false,
  autoResendUnfulfilledCommands: false,
  retryStrategy: (attempts: number) => Math.min(50 * attempts, 1000),
};

/** A client whose errors are expected (Redis goes away) and handled where each command fails: none may reach the process as an unhandled 'error'. */
function client(url: string, options: RedisOptions): Redis {
  const redis = new Redis(url, options);
  redis.on('error', () => undefined);
  return redis;
}

async function ready(redis: Redis, timeoutMs: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StateUnavailableError('connect to Redis', timeoutMs, false)), timeoutMs);
  });
  // connect() rejects on the first refused attempt, while ioredis goes on trying: 'ready' is what counts.
  const connected = new Promise<void>((resolve) => redis.once('ready', resolve));
  redis.connect().catch(() => undefined);
  try {
    await Promise.race([connected, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Connects to a state shared through a Redis stream, typed by its schema.
 *
 * @example
 * const state = await connectThreadSafeState({ url: 'redis://127.0.0.1:6379', name: 'team-a', schema: z.object({ n: z.number() }) });
 */
export function connectThreadSafeState<S extends StateObjectSchema>(
  options: Omit<ConnectThreadSafeStateOptions<z.output<S>>, 'schema'> & SchemaStateOptions<S>,
): Promise<ReplicatedThreadSafeState<z.output<S>>>;
/**
 * Connects to a state shared through a Redis stream by every replica of
 * `name`, in this process or any other: this one loads the newest snapshot,
 * reads the stream's tail, and resolves once it is caught up to the snapshot.
 *
 * @example
 * const state = await connectThreadSafeState<{ n: number }>({ url: 'redis://127.0.0.1:6379', name: 'team-a' });
 * await state.modify('n', (n) => n + 1, { default: 0, changedBy: 'agent-1' });
 * await state.sync(); // every entry appended before the call is applied here
 * await state.close();
 */
export function connectThreadSafeState<T extends object = StateShape>(options: ConnectThreadSafeStateOptions<T>): Promise<ReplicatedThreadSafeState<T>>;
export async function connectThreadSafeState<T extends object>(options: ConnectThreadSafeStateOptions<T>): Promise<ReplicatedThreadSafeState<T>> {
  const { own, state: stateOptions } = splitRedisOptions(options);
  const config = createStateConfig(stateOptions);
  const keys = redisKeys(own.name);
  const commands = client(own.url, { ...own.redis, ...CONNECTION, commandTimeout: own.commandTimeoutMs });
  // The blocking reads get a connection of their own, with room for the BLOCK in its timeout.
  const reader = client(own.url, { ...own.redis, ...CONNECTION, commandTimeout: own.blockMs + own.commandTimeoutMs });
  try {
    await Promise.all([ready(commands, own.commandTimeoutMs), ready(reader, own.commandTimeoutMs)]);
    const seed = new Replica<T>({ ...stateOptions, inspect: () => undefined }, config.maxHistorySize, null);
    const seedBytes = encodeReplicaSnapshot(seed.snapshot());
    seed.state.stop();
    const stored = await commands.eval(CREATE_OR_READ, 3, keys.meta, keys.snapshot, keys.stream, String(config.maxHistorySize), seedBytes);
    if (Number(stored) !== config.maxHistorySize) {
      throw new StateOptionsError([
        {
          path: ['maxHistorySize'],
          message: `every replica of "${own.name}" must have the same maxHistorySize: the state has ${String(stored)}, this replica was given ${config.maxHistorySize}`,
        },
      ]);
    }
    const snapshot = await new SnapshotPublisher(commands, keys).load();
    const { replica, concord } = openReplica(stateOptions, config.maxHistorySize, snapshot);
    return new ReplicatedState<T>({ own, stateOptions, config, keys, commands, reader, origin: randomUUID(), replica, concord });
  } catch (error) {
    commands.disconnect();
    reader.disconnect();
    throw error;
  }
}
