/**
 * The setup most replication tests share: a test redis-server, a raw client
 * beside it for what no replica writes, and the replicas a file opens,
 * closed with the server after its last test.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { connectThreadSafeState, type ConnectThreadSafeStateOptions, type ReplicatedThreadSafeState } from 'concord-state/redis';
import { testRedis, type TestRedis } from './redisServer.ts';

export interface ReplicaPool<T extends object> {
  readonly redis: TestRedis;
  readonly raw: Redis;
  /** A replica of the state `name` on the test server, closed after the file's last test. */
  replica(name: string, options?: Omit<ConnectThreadSafeStateOptions<T>, 'url' | 'name'>): Promise<ReplicatedThreadSafeState<T>>;
}

export function replicaPool<T extends object>(): ReplicaPool<T> {
  let redis: TestRedis | undefined;
  let raw: Redis | undefined;
  const opened: ReplicatedThreadSafeState<T>[] = [];
  beforeAll(async () => {
    redis = await testRedis();
    raw = new Redis(redis.url);
  });
  afterAll(async () => {
    await Promise.all(opened.map((state) => state.close()));
    raw?.disconnect();
    await redis?.dispose();
  });
  const started = <V>(value: V | undefined): V => {
    if (value === undefined) throw new Error('the pool is used inside a test, after its beforeAll');
    return value;
  };
  return {
    get redis() {
      return started(redis);
    },
    get raw() {
      return started(raw);
    },
    async replica(name, options = {}) {
      const state = await connectThreadSafeState<T>({ ...options, url: started(redis).url, name });
      opened.push(state);
      return state;
    },
  };
}
