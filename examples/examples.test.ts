/** Every example runs and prints what it says. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const run = (example: string) =>
  spawnSync(join(root, 'node_modules', '.bin', 'tsx'), [join(root, 'examples', example)], { cwd: root, encoding: 'utf8', timeout: 60_000 });

describe('the short examples', () => {
  it.each([
    ['basic.ts', /validator-gen/],
    ['rollbackOnError.ts', /deployment failed: version 3 holds the content of version 0/],
    ['consistentSnapshot.ts', /the snapshot still lists \[ 'models\/user.ts' \]/],
    ['workerAgents.ts', /counter 1000 at version 1000/],
  ])('%s runs', { timeout: 60_000 }, (example, expected) => {
    const result = run(example);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(expected);
  });
});
