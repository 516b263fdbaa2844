/**
 * Agents in three OS processes sharing one state through Redis: each claims
 * tasks with `modify` (no task is claimed twice, none is lost), and the
 * history says which process did what. Uses REDIS_URL, or starts a
 * redis-server of its own (Debian's `apt-get install -y redis-server`) on a
 * free port for the run. `npm run example:redis`
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectThreadSafeState } from 'concord-state/redis';
import type { Team } from './team.ts';

const agentScript = fileURLToPath(new URL('./agent.ts', import.meta.url));
const TASKS = Array.from({ length: 30 }, (_, i) => `task-${i + 1}`);

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

/** A redis-server for this run only, and how to stop it; connecting waits until it answers (ioredis retries). */
async function ownRedis(): Promise<{ url: string; stop: () => void }> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'concord-example-redis-'));
  const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', ''], { stdio: 'ignore' });
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: () => {
      server.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const redis = process.env.REDIS_URL ? { url: process.env.REDIS_URL, stop: () => undefined } : await ownRedis();
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
  redis.stop();
}
