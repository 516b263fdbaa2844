/**
 * The package as a stranger gets it: packed, installed from the tarball into
 * a fresh project (its own package.json and node_modules, no path into this
 * repository), then used with plain node, with tsc, and through its command.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const bin = (name: string) => join(root, 'node_modules', '.bin', name);
/** The peers a user installs beside the package, at the versions this repository tests with. */
const peers = ['fast-check', '@statelyai/inspect', 'tsx', 'typescript', '@types/node'];
const versionOf = (name: string) => (JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;

let work: string;
let project: string;
let tarball: string;

const run = (command: string, args: readonly string[], cwd = project) => spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 120_000 });
const nodeIn = (script: string) => run(process.execPath, [script]);
const lastJsonLine = (stdout: string): unknown => JSON.parse(stdout.trim().split('\n').at(-1) ?? 'null');

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'concord-consumer-'));
  // prepack builds dist/ first, as a publish would.
  const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: root, encoding: 'utf8' })) as [{ filename: string }];
  tarball = join(work, packed[0].filename);
  project = join(work, 'app');
  cpSync(fixtures, project, { recursive: true });
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  const installed = run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball, ...peers.map((name) => `${name}@${versionOf(name)}`)]);
  if (installed.status !== 0) throw new Error(`npm install failed:\n${installed.stderr}`);
}, 600_000);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('the packed package', { timeout: 120_000 }, () => {
  it('ships the build, the docs and the license, and no tests, benches or scratch files', () => {
    const listing = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n').filter(Boolean);
    expect(listing).toContain('package/dist/src/index.js');
    expect(listing).toContain('package/dist/src/index.d.ts');
    expect(listing).toContain('package/dist/src/inspect/page/index.html');
    expect(listing).toContain('package/LICENSE');
    expect(listing).toContain('package/README.md');
    const unexpected = listing.filter((path) => !/^package\/(dist\/|docs\/|README\.md$|LICENSE$|package\.json$)/.test(path));
    expect(unexpected).toEqual([]);
    expect(listing.filter((path) => /\.test\.|results\.json|\.tmp\./.test(path))).toEqual([]);
  });

  it('resolves every entry point inside the project, none into this repository', () => {
    const script = "for (const entry of ['', '/testing', '/workers', '/inspect']) console.log(import.meta.resolve('concord-state' + entry))";
    const result = run(process.execPath, ['--input-type=module', '-e', script]);
    expect(result.status, result.stderr).toBe(0);
    const resolved = result.stdout
      .trim()
      .split('\n')
      .map((url) => fileURLToPath(url));
    expect(resolved).toEqual(
      ['index', 'testing/index', 'workers/index', 'inspect/index'].map((entry) => join(project, 'node_modules', 'concord-state', 'dist', 'src', `${entry}.js`)),
    );
  });

  it('runs an .mjs script under plain node: every subpath imported, a set, a modify, a waitFor and a rollback', () => {
    const result = nodeIn('app.mjs');
    expect(result.status, result.stderr).toBe(0);
    expect(lastJsonLine(result.stdout)).toEqual({ entries: ['function', 'function', 'function'], seen: 2, rolledBack: 3, n: 1, version: 3 });
  });

  it('runs a .cjs script that require()s the package and every subpath', () => {
    const result = nodeIn('app.cjs');
    expect(result.status, result.stderr).toBe(0);
    expect(lastJsonLine(result.stdout)).toEqual({ entries: ['function', 'function', 'function'], seen: 2, rolledBack: 3, n: 1, version: 3 });
  });

  it('runs worker agents whose script is plain .mjs', () => {
    const result = nodeIn('workers.mjs');
    expect(result.status, result.stderr).toBe(0);
    expect(lastJsonLine(result.stdout)).toEqual({ counter: 50, writers: ['a', 'b'] });
  });

  it.each(['nodenext', 'bundler'])(
    'typechecks a strict consumer under moduleResolution %s, with no error in its files or the package declarations',
    (resolution) => {
      const result = run(join(project, 'node_modules', '.bin', 'tsc'), ['-p', `tsconfig.${resolution}.json`, '--pretty', 'false']);
      const errors = result.stdout.split('\n').filter((line) => /error TS\d+/.test(line));
      // Other packages' declarations are theirs to fix (xstate's setup.d.ts under exactOptionalPropertyTypes): reported, not failed on.
      const foreign = errors.filter((line) => line.startsWith('node_modules/') && !line.startsWith('node_modules/concord-state/'));
      if (foreign.length > 0) console.warn(`errors in other packages' declarations (${resolution}):\n${foreign.join('\n')}`);
      expect(errors.filter((line) => !foreign.includes(line))).toEqual([]);
    },
  );

  it('runs `npx concord-state inspect --exit-when-done <script>` and prints the page URL', () => {
    const result = run('npx', ['--no-install', 'concord-state', 'inspect', '--exit-when-done', 'inspected.mjs']);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Concord inspector: http:\/\/127\.0\.0\.1:\d+\/$/m);
    expect(result.stdout).toContain('inspected script wrote version 1');
  });

  it('runs a TypeScript script under the command through the tsx the project installed', () => {
    const result = run('npx', ['--no-install', 'concord-state', 'inspect', '--exit-when-done', 'inspected.ts']);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('inspected TypeScript script wrote version 1');
  });

  it('answers an unknown command with its usage and exit code 2', () => {
    const result = run('npx', ['--no-install', 'concord-state', 'inspekt']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('usage: concord-state inspect');
  });

  it('passes publint and are-the-types-wrong (ESM only)', () => {
    const lint = run(bin('publint'), ['run', root], root);
    expect(lint.status, lint.stdout + lint.stderr).toBe(0);
    expect(lint.stdout).not.toMatch(/Errors:/);
    const types = run(bin('attw'), [tarball, '--profile', 'esm-only', '--format', 'table-flipped'], root);
    expect(types.status, types.stdout + types.stderr).toBe(0);
  });
});
