/**
 * The redis-server an example of examples/redis runs against: REDIS_URL's,
 * or one of its own, started on a free port with a temporary directory
 * (Debian's `apt-get install -y redis-server`) and stopped by its pid.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where the example's Redis is, and how to stop it when the example started it. */
export interface ExampleRedis {
  readonly url: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

/** A redis-server for this run only; connecting waits until it answers (ioredis retries). */
async function ownRedis(): Promise<ExampleRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'concord-example-redis-'));
  const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', ''], { stdio: 'ignore' });
  // Rejects with ENOENT when there is no redis-server to start.
  await once(server, 'spawn');
  const exited = once(server, 'exit');
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      if (server.pid !== undefined && server.exitCode === null && server.signalCode === null) process.kill(server.pid, 'SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** REDIS_URL's server when it is set, else one of the example's own. */
export function exampleRedis(env: NodeJS.ProcessEnv = process.env): Promise<ExampleRedis> {
  const url = env.REDIS_URL;
  return url ? Promise.resolve({ url, stop: () => Promise.resolve() }) : ownRedis();
}
