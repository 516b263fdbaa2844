/**
 * Every code sample in README.md and docs/ is a file under examples/docs/
 * that runs: each ```ts block must be (or be part of) one of those files, and
 * each file must exit 0. A sample that drifts from its file, or a file that
 * stops running, fails here.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const samplesDir = join(root, 'examples', 'docs');

/** The programs: every .ts file directly in examples/docs/ (worker scripts live in a folder of their own, as they run only on a worker). */
const programs = readdirSync(samplesDir)
  .filter((name) => name.endsWith('.ts'))
  .sort();
/** What a block may be taken from: every .ts file under examples/docs/, worker scripts included. */
const sources = readdirSync(samplesDir, { recursive: true, encoding: 'utf8' })
  .filter((name) => name.endsWith('.ts'))
  .map((name) => ({ name, text: readFileSync(join(samplesDir, name), 'utf8').trim() }));

const pages = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`),
];

/** The ```ts (or ```typescript) fenced blocks of a markdown page. */
function typescriptBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```(?:ts|typescript)\s*\n([\s\S]*?)^```\s*$/gm)].map((match) => (match[1] ?? '').trim());
}

const blocks = pages.flatMap((page) => typescriptBlocks(readFileSync(join(root, page), 'utf8')).map((block, index) => ({ page, index, block })));

describe('the documentation samples', () => {
  it('README.md and docs/ have samples, and examples/docs/ has programs', () => {
    expect(blocks.length).toBeGreaterThan(0);
    expect(programs.length).toBeGreaterThan(0);
  });

  it.each(blocks.map(({ page, index, block }) => [`${page}, TypeScript block ${index + 1}`, block] as const))(
    '%s is the code of a file in examples/docs/',
    (_, block) => {
      const source = sources.find(({ text }) => text === block) ?? sources.find(({ text }) => text.includes(block));
      expect(source, `no file under examples/docs/ holds this block:\n${block}`).toBeDefined();
    },
  );

  it.each(sources.map(({ name, text }) => [name, text] as const))('examples/docs/%s is shown in README.md or docs/', (_, text) => {
    expect(blocks.some(({ block }) => block === text || text.includes(block))).toBe(true);
  });

  it.each(programs)('examples/docs/%s runs', { timeout: 60_000 }, (program) => {
    const result = spawnSync(join(root, 'node_modules', '.bin', 'tsx'), [join(samplesDir, program)], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
  });
});
