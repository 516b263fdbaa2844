/**
 * Agents in three OS processes sharing one state through Redis: each claims
 * tasks with `modify` (no task is claimed twice, none is lost), and the
 * history says which process did what. Uses REDIS_URL, or starts a
 * redis-server of its own (Debian's `apt-get install -y redis-server`) on a
 * free port for the run. `npm run example:redis`
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { connectThreadSafeState } from 'concord-state/redis';
import { exampleRedis } from './ownRedis.ts';
import type { Team } from './team.ts';

const agentScript = fileURLToPath(new URL('./agent.ts', import.meta.url));
const TASKS = Array.from({ length: 30 }, (_, i) => `task-${i + 1}`);

const redis = await exampleRedis();
try {
  const name = `example-team-${process.pid}`;
  const state = await connectThreadSafeState<Team>({ url: redis.url, name });
  await state.set('todo', TASKS, { changedBy: 'planner' });
  const agents = ['agent-1', 'agent-2', 'agent-3'].map((agentId) =>
    spawn(process.execPath, ['--import', 'tsx', agentScript, redis.url, name, agentId], { stdio: 'inherit' }),
  );
  await Promise.all(agents.map((agent) => once(agent, 'exit')));
  await state.sync();
  const done = state.get('done') ?? [];
  const byAgent = new Map<string, number>();
  for (const record of state.getHistory({ key: 'done' })) byAgent.set(record.changedBy ?? '?', (byAgent.get(record.changedBy ?? '?') ?? 0) + 1);
  console.log(`${done.length} of ${TASKS.length} tasks done, each once: ${new Set(done).size === TASKS.length}`);
  console.log(`tasks per agent: ${[...byAgent].map(([agent, count]) => `${agent} ${count}`).join(', ')}`);
  console.log(`task-1: ${state.get('result:task-1')}; version ${state.getVersion()}`);
  await state.close();
} finally {
  await redis.stop();
}
