/**
 * One line of the benchmark: a figure, and the floors or peers it is measured
 * against in the same run, each with a ratio. What `npm run bench` prints,
 * bench/results.json keeps and bench/readme.ts turns into docs/performance.md.
 */

export type Unit = 'ops/s' | 'cmds/s' | 'writes/s' | 'records/s' | 'µs' | 'ms' | 'MB';

export interface Figure {
  readonly value: number;
  readonly unit: Unit;
}

/** A floor or a peer a line is measured against, and the ratio between them. */
export interface Against extends Figure {
  readonly name: string;
  /** How many times as fast (or as lean) the line is: above 1, ahead of `name`; below 1, behind. */
  readonly ratio: number;
}

export interface Line extends Figure {
  readonly name: string;
  readonly note?: string;
  /** Empty on a floor, which other lines are measured against. */
  readonly against: readonly Against[];
}

const isRate = (unit: Unit) => unit.endsWith('/s');
const MICROS: Partial<Record<Unit, number>> = { µs: 1, ms: 1000 };

/**
 * How many times as fast `figure` is as `reference`: rate over rate, or
 * time over time inverted (a rate and a time are compared as operations per
 * second). For memory, how many times as lean. Above 1 is ahead.
 */
export function ratioOf(figure: Figure, reference: Figure): number {
  const perSecond = ({ value, unit }: Figure) => (isRate(unit) ? value : 1e6 / (value * (MICROS[unit] ?? Number.NaN)));
  if (figure.unit === 'MB' || reference.unit === 'MB') {
    if (figure.unit !== reference.unit) throw new Error(`cannot compare ${figure.unit} with ${reference.unit}`);
    return reference.value / figure.value;
  }
  return perSecond(figure) / perSecond(reference);
}

/** A line measured against `references` (floors, peers, or other lines of the same run). */
export function lineOf(name: string, figure: Figure, references: readonly (Figure & { name: string })[] = [], note?: string): Line {
  const against = references.map((reference) => ({ name: reference.name, value: reference.value, unit: reference.unit, ratio: ratioOf(figure, reference) }));
  return { name, value: figure.value, unit: figure.unit, against, ...(note === undefined ? {} : { note }) };
}

export const formatFigure = (value: number) => (Math.abs(value) >= 100 ? Math.round(value).toLocaleString('en-US') : value.toPrecision(3));

export const formatRatio = (ratio: number) => `${ratio >= 100 ? Math.round(ratio).toLocaleString('en-US') : ratio.toPrecision(3)}x`;

/** "0.178x floor: XState fromTransition send (1,171,614 ops/s)": a ratio with the figure it was taken against. */
export const againstText = ({ name, value, unit, ratio }: Against) => `${formatRatio(ratio)} ${name} (${formatFigure(value)} ${unit})`;

/** Prints `line` as one row: name, figure, unit, then each ratio beside what it was measured against. */
export function printLine(line: Line): void {
  const against = line.against.length === 0 ? 'floor' : line.against.map(againstText).join('; ');
  const note = line.note === undefined ? '' : `  [${line.note}]`;
  console.log(`${line.name.padEnd(56)} ${formatFigure(line.value).padStart(13)} ${line.unit.padEnd(10)} ${against}${note}`);
}
