/** A stage's child process: node itself with tsx's loader (so a kill reaches the stage, not a wrapper), its report, and a deadline. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { StageReportSchema, type StageReport } from './stageReport.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const stageScript = fileURLToPath(new URL('./codegenStage.ts', import.meta.url));

/** A running stage process. */
export interface StageProcess {
  readonly stage: string;
  readonly pid: number;
  /** Its StageReport once it exits with 0; rejects with its stderr when it fails, or when it is killed. */
  readonly report: Promise<StageReport>;
  /** Kills it with SIGKILL by its pid, if it is still running. */
  kill(): void;
}

export interface StageProcessOptions {
  readonly url: string;
  readonly name: string;
  readonly stage: string;
  readonly contractsDir: string;
  /** Killed when it has not exited by then. */
  readonly deadlineMs: number;
}

export function startStageProcess({ url, name, stage, contractsDir, deadlineMs }: StageProcessOptions): StageProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', stageScript, url, name, stage, contractsDir], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`the process of stage ${stage} did not start`);
  const running = () => child.exitCode === null && child.signalCode === null;
  const kill = () => {
    if (running()) process.kill(pid, 'SIGKILL');
  };
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const deadline = setTimeout(kill, deadlineMs);
  const report = new Promise<StageReport>((resolve, reject) => {
    child.once('error', reject);
    // 'close', not 'exit': its output is all read by then.
    child.once('close', (code, signal) => {
      clearTimeout(deadline);
      if (code !== 0) return reject(new Error(`the process of stage ${stage} (pid ${pid}) exited with ${signal ?? code}: ${stderr.trim()}`));
      try {
        resolve(StageReportSchema.parse(JSON.parse(stdout.trim().split('\n').at(-1) ?? 'null')));
      } catch (error) {
        reject(new Error(`the process of stage ${stage} (pid ${pid}) printed no report (${String(error)}): ${stdout}`));
      }
    });
  });
  return { stage, pid, report, kill };
}
