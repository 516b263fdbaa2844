/**
 * The Redis section's own redis-server: on 127.0.0.1, a free port and a
 * temporary directory, with `appendonly yes` and `appendfsync everysec` (a
 * durable deployment's usual setting), stopped by its pid. Never a Redis the
 * bench did not start.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

export interface BenchRedis {
  readonly url: string;
  /** "Redis 7.0.15": what the lines were measured on. */
  readonly version: string;
  /** Stops it by its pid (SIGTERM, then SIGKILL after 5 s) and deletes its directory. */
  stop(): Promise<void>;
}

/** Why the section cannot run, when it cannot. */
export interface NoRedis {
  readonly reason: string;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Resolves once the server answers PING; rejects after 10 s, or at once if it exits first. */
async function answering(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (child.exitCode === null && child.signalCode === null && Date.now() < deadline) {
    const probe = new Redis(url, { lazyConnect: true, retryStrategy: () => null, enableOfflineQueue: false });
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      if ((await probe.ping()) === 'PONG') return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      probe.disconnect();
    }
  }
  throw new Error(`redis-server did not answer on ${url} (exit code ${String(child.exitCode)})`);
}

/** A new redis-server of the bench's own, or why there is none (not installed, or it would not start). */
export async function startRedis(): Promise<BenchRedis | NoRedis> {
  const probe = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (probe.error !== undefined) return { reason: `redis-server is not installed (${probe.error.message})` };
  const version = `Redis ${/v=(\S+)/.exec(probe.stdout)?.[1] ?? 'of unknown version'}`;
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'concord-bench-redis-'));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'everysec', '--save', ''];
  const child = spawn('redis-server', [...args, '--daemonize', 'no'], { stdio: 'ignore' });
  child.once('error', () => undefined);
  const url = `redis://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      // child.kill signals the server's pid, never a process found by name.
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited(child);
      clearTimeout(killer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await answering(url, child);
  } catch (error) {
    await stop();
    return { reason: error instanceof Error ? error.message : String(error) };
  }
  return { url, version, stop };
}
