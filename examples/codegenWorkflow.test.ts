/**
 * The main example end to end: it runs, writes a schema, a validator and a
 * test per contract, and what it writes typechecks and passes its own tests.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name: string) => join(root, 'node_modules', '.bin', name);
const outputs = join(root, 'test', 'output');
mkdirSync(outputs, { recursive: true });
const workDir = mkdtempSync(join(outputs, 'codegen-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

const runExample = (...args: string[]) =>
  spawnSync(bin('tsx'), [join(root, 'examples', 'codegen-workflow.ts'), ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });

describe('the code-generation example', () => {
  it('writes a schema, a validator and a test per contract, which typecheck and pass', { timeout: 120_000 }, () => {
    const outDir = join(workDir, 'generated');
    const run = runExample(outDir);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/stage tests done/);
    // .concord/ holds the run's journal.
    const files = readdirSync(outDir)
      .filter((file) => !file.startsWith('.'))
      .sort();
    expect(files).toEqual(['Order', 'Product', 'User'].flatMap((name) => [`${name}.schema.ts`, `${name}.test.ts`, `${name}.validator.ts`]));

    execFileSync(
      bin('tsc'),
      [
        '--noEmit',
        '--strict',
        '--target',
        'ES2022',
        '--module',
        'nodenext',
        '--moduleResolution',
        'nodenext',
        '--allowImportingTsExtensions',
        '--skipLibCheck',
        '--types',
        'node',
        ...files.map((file) => join(outDir, file)),
      ],
      { cwd: root, encoding: 'utf8' },
    );
    // A config of its own: without one, vitest would take the project's root and run every suite, this one included.
    const config = join(workDir, 'generated.vitest.config.mjs');
    writeFileSync(config, `export default { test: { root: ${JSON.stringify(outDir)}, include: ['*.test.ts'] } };\n`);
    const tests = spawnSync(bin('vitest'), ['run', '--config', config, '--reporter', 'json'], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(tests.status, tests.stderr).toBe(0);
    const report = JSON.parse(tests.stdout.slice(tests.stdout.indexOf('{'))) as { numPassedTests: number; numFailedTests: number; numTotalTestSuites: number };
    expect(report.numFailedTests).toBe(0);
    expect(report.numPassedTests).toBeGreaterThanOrEqual(15);
  });

  it(
    'killed after a stage, resumes on the same folder: the stages done are not run again, and it writes what a straight run writes',
    { timeout: 120_000 },
    () => {
      const straight = join(workDir, 'straight');
      expect(runExample(straight).status).toBe(0);
      const outDir = join(workDir, 'resumed');
      const killed = runExample(outDir, '--crash-after', 'models');
      expect(killed.status).not.toBe(0);
      expect(killed.stdout).toMatch(/stage models done/);
      expect(killed.stdout).not.toMatch(/files written/);
      expect(readdirSync(outDir)).toEqual(['.concord']);

      const resumed = runExample(outDir);
      expect(resumed.status, resumed.stderr).toBe(0);
      expect(resumed.stdout).toMatch(/resuming the run kept in .* \(done: parse, models\)/);
      expect(resumed.stdout).not.toMatch(/stage (parse|models) done/);
      expect(resumed.stdout).toMatch(/stage tests done/);
      const generated = (dir: string) =>
        Object.fromEntries(
          readdirSync(dir)
            .filter((file) => !file.startsWith('.'))
            .map((file) => [file, readFileSync(join(dir, file), 'utf8')]),
        );
      expect(generated(outDir)).toEqual(generated(straight));

      // Done: a third run runs no stage, and writes the same files again.
      const again = runExample(outDir);
      expect(again.status, again.stderr).toBe(0);
      expect(again.stdout).not.toMatch(/stage \w+ done/);
      expect(generated(outDir)).toEqual(generated(straight));
    },
  );

  it('refuses a folder that holds files of something else, and writes nothing into it', () => {
    const outDir = join(workDir, 'someone-elses');
    mkdirSync(outDir, { recursive: true });
    writeFileSync(join(outDir, 'notes.txt'), 'mine');
    const run = runExample(outDir);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/not a folder of this example/);
    expect(readdirSync(outDir)).toEqual(['notes.txt']);
  });

  it('a malformed contract: a clear error naming the file and the field, a non-zero exit, no files', () => {
    const contracts = join(workDir, 'contracts');
    mkdirSync(contracts, { recursive: true });
    copyFileSync(join(root, 'examples', 'contracts', 'user.json'), join(contracts, 'user.json'));
    writeFileSync(join(contracts, 'broken.json'), JSON.stringify({ name: 'Broken', fields: { price: { type: 'money' } } }));
    const outDir = join(workDir, 'never-written');
    const run = runExample('--contracts', contracts, outDir);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('broken.json');
    expect(run.stderr).toContain('fields.price.type');
    expect(existsSync(outDir)).toBe(false);
  });
});
