/** The runner behind `npm run inspect`, in this process (the browser test runs the real command). */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ambientInspector, loadRecording } from 'concord-state/inspect';
import { modelFromRecording } from '../../src/inspect/page/model.js';
import { startRunner } from '../../src/inspect/runner.ts';

const fixture = (name: string) => join(import.meta.dirname, 'fixtures', name);
const root = join(import.meta.dirname, '..', '..');
const { argv, exitCode } = process;
beforeEach(() => {
  process.exitCode = undefined;
});
afterEach(() => {
  process.argv = argv;
  process.exitCode = exitCode;
  vi.restoreAllMocks();
});

/** `npm run inspect -- ...args` in a child process: its exit code and what it printed on stderr. */
function runCli(args: string[]) {
  const child = spawn(join(root, 'node_modules', '.bin', 'tsx'), ['src/inspect/cli.ts', ...args], { cwd: root });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.resume();
  return new Promise<{ code: number | null; stderr: string }>((resolve) => child.once('exit', (code) => resolve({ code, stderr })));
}

const versionsIn = async (path: string) =>
  [...modelFromRecording(await loadRecording(path)).states.values()].map((timeline) => timeline.versions.map((v) => v.version));

describe('startRunner', () => {
  it('prints the URL first, runs the script with its own arguments under the ambient inspector, then saves and closes (--exit-when-done)', async () => {
    const save = join(mkdtempSync(join(tmpdir(), 'concord-runner-')), 'run.json');
    const lines: string[] = [];
    const runner = await startRunner({ port: 0, save, exitWhenDone: true, script: fixture('writer.ts'), scriptArgs: ['3', '--flag'] }, (line) =>
      lines.push(line),
    );
    expect(lines).toEqual([`Concord inspector: ${runner.local.url}`]);
    expect(ambientInspector()).toBe(runner.local.inspector);

    await runner.run();
    expect(process.exitCode).toBeUndefined();
    expect(ambientInspector()).toBeUndefined();
    expect(await versionsIn(save)).toEqual([[0, 1, 2, 3]]);
    const recording = await loadRecording(save);
    expect(recording.entries).toContainEqual(expect.objectContaining({ kind: 'version', changed: { args: ['3', '--flag'] } }));
    await expect(fetch(runner.local.url)).rejects.toThrow();
  });

  it('saves the run (--save) when the script ends the process itself with process.exit()', { timeout: 60_000 }, async () => {
    const save = join(mkdtempSync(join(tmpdir(), 'concord-runner-')), 'run.json');
    const exitCode = await runCli(['--save', save, fixture('exits.ts')]);
    expect(exitCode.code, exitCode.stderr).toBe(3);
    expect(await versionsIn(save)).toEqual([[0, 1]]);
  });

  it('says in one line that the port is taken, and exits with 2', { timeout: 60_000 }, async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = busy.address() as AddressInfo;
      const result = await runCli(['--port', String(port)]);
      expect(result.code).toBe(2);
      expect(result.stderr.trim()).toBe(`Concord inspector: port ${port} is already in use; choose another with --port N (0 lets the system choose)`);
    } finally {
      busy.close();
    }
  });

  it('keeps serving after a script that throws, with exit code 1, until finish()', async () => {
    const failed = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const lines: string[] = [];
    const runner = await startRunner({ port: 0, exitWhenDone: false, script: fixture('failing.ts'), scriptArgs: [] }, (line) => lines.push(line));
    await runner.run();
    expect(process.exitCode).toBe(1);
    expect(String(failed.mock.calls[0]?.[0])).toContain('failing.ts fails on purpose');
    expect(lines.at(-1)).toBe(`Concord inspector: ${fixture('failing.ts')} failed (see above); serving ${runner.local.url} until Ctrl-C`);
    const response = await fetch(new URL('/recording.json', runner.local.url));
    expect(response.status).toBe(200);
    expect(modelFromRecording(await response.json()).states.size).toBe(1);

    expect(runner.finish()).toBe(runner.finish());
    await runner.finish();
    await expect(fetch(runner.local.url)).rejects.toThrow();
  });
});
