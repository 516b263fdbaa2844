// The docs' sample against the tests' redis-server: .ci/run's, or one of its own for the run.
import { testRedis } from '../../test/redis/support/redisServer.ts';
const redis = await testRedis();
process.env.REDIS_URL = redis.url;

import { connectThreadSafeState } from 'concord-state/redis';

const state = await connectThreadSafeState<{ counter: number }>({ url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', name: 'team-a' });
await state.modify('counter', (n) => n + 1, { default: 0, changedBy: 'agent-1' }); // resolves once this replica applied it
console.log(state.get('counter')); // a local, synchronous read
await state.sync(); // every entry appended before the call is applied here
await state.close();

await redis.dispose();
