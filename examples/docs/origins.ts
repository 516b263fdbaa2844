// The docs' sample against the tests' redis-server: .ci/run's, or one of its own for the run.
import { testRedis } from '../../test/redis/support/redisServer.ts';
import { connectThreadSafeState } from 'concord-state/redis';

const redis = await testRedis();
const url = redis.url;

const state = await connectThreadSafeState<{ phase: string }>({ url, name: 'team-a', label: 'planner-box' });
const version = await state.set('phase', 'tests', { changedBy: 'planner' });
console.log(state.originOf(version)); // { id: state.origin, label: 'planner-box' }, on every replica of team-a

await state.close();
await redis.dispose();
