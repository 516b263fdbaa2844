/**
 * A pipeline on a durable state, its process killed with SIGKILL mid-wave,
 * then run again with `resume`: completed stages do not run again, the
 * interrupted wave is rolled back to where it began and runs again.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fromAgent, openThreadSafeState, runPipeline, type WorkflowStateShape } from 'concord-state';

const root = fileURLToPath(new URL('../..', import.meta.url));
const script = fileURLToPath(new URL('./fixtures/interruptedPipeline.ts', import.meta.url));

/** Runs the pipeline that never finishes its models stage, and kills it with SIGKILL once that stage has written. */
function runUntilMidWave(dir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, dir], { cwd: root });
    let stderr = '';
    child.stdout.setEncoding('utf8');
    let stdout = '';
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      if (stdout.includes('in models')) child.kill('SIGKILL');
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // The pipeline never finishes by itself: if its signal never comes, it is killed by its pid after 30 s all the same.
    const deadline = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('exit', (code, signal) => {
      clearTimeout(deadline);
      if (signal === 'SIGKILL' && stdout.includes('in models')) resolve();
      else reject(new Error(`the pipeline exited with ${code ?? signal} before its models stage wrote: ${stderr}`));
    });
  });
}

describe('a pipeline that resumes', () => {
  it('skips the stages completed before the crash, rolls the interrupted wave back and runs it again', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'concord-resume-'));
    try {
      await runUntilMidWave(dir);
      const state = await openThreadSafeState<WorkflowStateShape & Record<string, unknown>>({ dir });
      // The crash left the models stage's first writes in the journal.
      expect(state.get('models:User:partial')).toBe('first run');
      const ran: string[] = [];
      const agent = () =>
        fromAgent(async ({ state: remote, agentId }) => {
          ran.push(agentId);
          await remote.set(`${agentId}:done`, 'resumed run');
        });
      const { done } = runPipeline({
        pipeline: {
          stages: [
            { id: 'parse', agent: 'parse' },
            { id: 'models', agent: 'models', dependsOn: ['parse'] },
            { id: 'tests', agent: 'tests', dependsOn: ['models'] },
          ],
        },
        items: ['User', 'Order'].map((id) => ({ id, data: null })),
        state,
        agents: { parse: agent(), models: agent(), tests: agent() },
        resume: true,
      });
      expect(await done).toEqual({ status: 'completed' });
      expect(ran.sort()).toEqual(['models:Order', 'models:User', 'tests:Order', 'tests:User']);
      expect(state.get('parse:User:done')).toBe('first run');
      expect(state.has('models:User:partial')).toBe(false);
      expect(state.get('completedSteps')).toEqual(['parse', 'models', 'tests']);
      await state.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
