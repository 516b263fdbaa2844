/**
 * The redis-server the replication tests use: the one .ci/run started, whose
 * port is in CONCORD_TEST_REDIS_PORT, or else one of their own, started here
 * on a free port with a temporary directory and stopped by its pid. The
 * tests never touch a Redis they did not start.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

/** A redis-server these tests may use, and how to stop, kill or restart it when they started it. */
export interface TestRedis {
  readonly port: number;
  readonly url: string;
  /** Whether this process started it: only then can it be stopped and restarted. */
  readonly owned: boolean;
  /** Stops it (SIGTERM, or SIGKILL when `kill`) and waits until it is gone. */
  stop(kill?: boolean): Promise<void>;
  /** Starts it again on the same port and directory, and waits until it answers. */
  restart(): Promise<void>;
  /** Stops it for good and deletes its directory. */
  dispose(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function answers(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const probe = new Redis({ port, host: '127.0.0.1', lazyConnect: true, retryStrategy: () => null, enableOfflineQueue: false });
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      if ((await probe.ping()) === 'PONG') return;
    } catch {
      // Not up yet.
    } finally {
      probe.disconnect();
    }
    if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not answer within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));
}

/** The CI's redis-server when .ci/run started one, else a new one of this process's own. */
export async function testRedis(): Promise<TestRedis> {
  const fromCi = process.env.CONCORD_TEST_REDIS_PORT;
  if (fromCi !== undefined && fromCi !== '') {
    const port = Number(fromCi);
    await answers(port);
    const notOwned = () => Promise.reject(new Error('this redis-server was started by .ci/run: the test cannot stop it'));
    return { port, url: `redis://127.0.0.1:${port}`, owned: false, stop: notOwned, restart: notOwned, dispose: () => Promise.resolve() };
  }
  return ownRedis();
}

/** A redis-server of this process's own; `fsync: 'always'` makes a kill -9 of it lose nothing it acknowledged. */
export async function ownRedis(fsync: 'always' | 'everysec' = 'everysec'): Promise<TestRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'concord-redis-'));
  let child: ChildProcess | null = null;
  const start = async () => {
    const args = [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--appendonly',
      'yes',
      '--appendfsync',
      fsync,
      '--save',
      '',
      '--daemonize',
      'no',
    ];
    child = spawn('redis-server', args, { stdio: 'ignore' });
    await answers(port);
  };
  const stop = async (kill = false) => {
    const running = child;
    if (running === null) return;
    child = null;
    if (running.pid !== undefined) process.kill(running.pid, kill ? 'SIGKILL' : 'SIGTERM');
    await exited(running);
  };
  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    owned: true,
    stop,
    restart: start,
    dispose: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A name no other test uses: every test gets a state of its own on the shared server. */
export const uniqueName = (label: string): string => `${label}-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
