/** What a code-generation run produced, in forms that do not depend on which agent of a stage happened to write first. */
import type { StateChangeRecord, StateSnapshot } from 'concord-state';
import type { CodegenState } from '../codegen/agents.ts';

/** `value` with every object's keys in sorted order: the order agents of one stage wrote them in is a race. */
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (typeof value !== 'object' || value === null) return value;
  const object = value as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(object)
      .sort()
      .map((key) => [key, sortedKeys(object[key])]),
  );
}

/** The final contents as JSON, keys sorted and `completedAgents` too (agents of a stage report in the order they finish). */
export function outputOf(contents: StateSnapshot<CodegenState>): string {
  return JSON.stringify(sortedKeys({ ...contents, completedAgents: [...(contents.completedAgents ?? [])].sort() }));
}

/** Each write as `changedBy operation key`, sorted: the same agents made the same writes, whichever ran first. */
export function writesOf(history: readonly StateChangeRecord[]): string[] {
  return history.map((record) => `${record.changedBy ?? '(nobody)'} ${record.operation} ${record.key}`).sort();
}
