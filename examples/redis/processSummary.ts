import type { StateChangeRecord } from 'concord-state';
import type { StageReport } from './stageReport.ts';

/**
 * The stage a write belongs to, from its changedBy: an agent is
 * `<stage>:<contract>`, and a stage's bookkeeping `workflow:<stage>`.
 */
export function stageOfWriter(changedBy: string | null): string | undefined {
  const [head, tail] = (changedBy ?? '').split(':');
  return head === 'workflow' ? tail : head;
}

/** One stage's process and what each of its writers wrote, oldest first. */
export interface ProcessWrites {
  readonly report: StageReport;
  readonly writes: number;
  /** changedBy -> the keys it wrote, sorted by changedBy. */
  readonly writers: ReadonlyMap<string, readonly string[]>;
}

/** The history by process: each stage ran in one process, so a write's stage names the process that made it. */
export function writesByProcess(history: readonly StateChangeRecord[], stages: readonly StageReport[]): { processes: ProcessWrites[]; unattributed: number } {
  const oldestFirst = [...history].sort((a, b) => a.version - b.version);
  const processes = stages.map((report) => {
    const own = oldestFirst.filter((record) => stageOfWriter(record.changedBy) === report.stage);
    const writers = new Map<string, string[]>();
    for (const record of own) {
      const changedBy = record.changedBy ?? '';
      writers.set(changedBy, [...(writers.get(changedBy) ?? []), record.key]);
    }
    return { report, writes: own.length, writers: new Map([...writers].sort(([a], [b]) => (a < b ? -1 : 1))) };
  });
  const attributed = processes.reduce((sum, { writes }) => sum + writes, 0);
  return { processes, unattributed: history.length - attributed };
}
