/** One line of the benchmark: what `bench/run.ts` records and `bench/readme.ts` turns into the table of docs/performance.md. */
import { formatFigure } from './comparison.ts';

export interface Row {
  name: string;
  value: number;
  unit: string;
  target?: { min?: number; max?: number };
  note?: string;
}

/** The target as text (">= 1,000,000", "<= 0.1"), or '' for a line without one. */
export function targetText({ target }: Row): string {
  if (target === undefined) return '';
  return target.min !== undefined ? `>= ${formatFigure(target.min)}` : `<= ${target.max}`;
}

/** Whether the line meets its target; undefined for a line without one. */
export function meetsTarget({ value, target }: Row): boolean | undefined {
  if (target === undefined) return undefined;
  return (target.min === undefined || value >= target.min) && (target.max === undefined || value <= target.max);
}
