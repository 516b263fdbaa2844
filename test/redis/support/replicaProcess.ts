/** Replicas in child processes: node itself with tsx's loader, so a kill reaches the replica and not a wrapper. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const incrementer = fileURLToPath(new URL('../fixtures/incrementer.ts', import.meta.url));

/** Waits until every replica printed `done`, then releases them all and waits for them to exit. */
export async function finishTogether(replicas: readonly ReplicaProcess[]): Promise<void> {
  await Promise.all(replicas.map((replica) => replica.line((line) => line === 'done')));
  for (const replica of replicas) replica.release();
  await Promise.all(replicas.map((replica) => replica.exited));
}

/** A running child and its output lines. */
export interface ReplicaProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly lines: string[];
  /** Resolves with the first line matching `test`. */
  line(test: (line: string) => boolean): Promise<string>;
  /** Tells a replica that printed `done` to sync and report. */
  release(): void;
  /** Resolves with the exit code or signal; rejects with its stderr when it exits with an error code. */
  readonly exited: Promise<NodeJS.Signals | number>;
}

export function startIncrementer(url: string, name: string, label: string, count: number | 'forever'): ReplicaProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', incrementer, url, name, label, count === 'forever' ? '--forever' : String(count)], { cwd: root });
  const lines: string[] = [];
  const watchers = new Set<() => void>();
  let buffered = '';
  let stderr = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    buffered += chunk;
    const parts = buffered.split('\n');
    buffered = parts.pop() ?? '';
    lines.push(...parts);
    for (const watcher of [...watchers]) watcher();
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // Whatever goes wrong, no child outlives its test by long.
  const deadline = setTimeout(() => child.kill('SIGKILL'), 150_000);
  const exited = new Promise<NodeJS.Signals | number>((resolve, reject) => {
    child.on('exit', (code, signal) => {
      clearTimeout(deadline);
      for (const watcher of [...watchers]) watcher();
      if (signal !== null) resolve(signal);
      else if (code === 0) resolve(0);
      else reject(new Error(`replica ${label} exited with ${code}: ${stderr}`));
    });
  });
  const line = (test: (line: string) => boolean) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const found = lines.find(test);
        if (found !== undefined) return (watchers.delete(check), resolve(found));
        if (child.exitCode !== null || child.signalCode !== null)
          return (watchers.delete(check), reject(new Error(`replica ${label} exited first: ${stderr}`)));
      };
      watchers.add(check);
      check();
    });
  return { child, lines, line, exited, release: () => void child.stdin.write('sync\n') };
}
