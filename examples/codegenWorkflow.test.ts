/**
 * The main example end to end: it runs, writes a schema, a validator and a
 * test per contract, and what it writes typechecks and passes its own tests.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync, existsSync, copyFileSync } from 'node:fs';
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
    const files = readdirSync(outDir).sort();
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
