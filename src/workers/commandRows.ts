import { setOwnKey } from '../values/setOwnKey.ts';

/**
 * How a worker's commands cross the MessagePort: each as the index of its
 * shape (its keys, in order, listed once per message) followed by its values.
 * Structured clone writes every key of every object, and the receiving
 * thread rebuilds each object key by key; a flat array of values it reads
 * several times faster, and the state's thread, which every worker's
 * commands go through, is the one that reads them.
 */
export interface CommandRows {
  /** The keys of each shape of command, in order. */
  readonly shapes: string[][];
  /** For each command, its shape's index and then its values. */
  readonly rows: unknown[];
}

/** `commands` as rows, in order. */
export function toRows(commands: readonly object[]): CommandRows {
  const shapes: string[][] = [];
  const rows: unknown[] = [];
  for (const command of commands) {
    const keys = Object.keys(command);
    const shape = shapeIndex(shapes, keys);
    rows.push(shape);
    for (const key of keys) rows.push((command as Record<string, unknown>)[key]);
  }
  return { shapes, rows };
}

/** The index of `keys` among `shapes`, added when new; the last one is tried first, as one tick's commands mostly share theirs. */
function shapeIndex(shapes: string[][], keys: string[]): number {
  for (let i = shapes.length - 1; i >= 0; i--) if (sameKeys(shapes[i] as string[], keys)) return i;
  return shapes.push(keys) - 1;
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The commands `rows` lay out, in order, each a fresh plain object, or null
 * when the rows do not follow `shapes` (a shape index out of range, values
 * missing at the end): then none of them is read. `shapes` is a dense array
 * of dense arrays of strings (see readFromWorker). Never throws.
 */
export function fromRows(shapes: readonly (readonly string[])[], rows: readonly unknown[]): object[] | null {
  const commands: object[] = [];
  for (let at = 0; at < rows.length;) {
    const shape = Number.isInteger(rows[at]) ? shapes[rows[at] as number] : undefined;
    if (shape === undefined || at + 1 + shape.length > rows.length) return null;
    at++;
    const command: Record<string, unknown> = {};
    for (const key of shape) setOwnKey(command, key, rows[at++]);
    commands.push(command);
  }
  return commands;
}
