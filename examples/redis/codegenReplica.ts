/** What every replica of a code-generation run shares: the same options, and a digest of what it holds, to compare replicas by. */
import { createHash } from 'node:crypto';
import type { KnownGoodMark, StateChangeRecord, StateSnapshot, ThreadSafeState } from 'concord-state';
import { CodegenStateSchema, type CodegenState } from '../codegen/agents.ts';

/** Every replica of one name must be given the same schema and maxHistorySize; the first to connect seeds the state. */
export const codegenStateOptions = (name: string) => ({
  schema: CodegenStateSchema,
  initialState: CodegenStateSchema.parse({ workflowId: name }),
  maxHistorySize: 10_000,
});

/** What a replica holds: the same on every replica once each has applied the whole stream, timestamps included. */
export interface Held {
  readonly contents: StateSnapshot<CodegenState>;
  readonly version: number;
  readonly history: readonly StateChangeRecord[];
  readonly marks: readonly KnownGoodMark[];
}

export const heldBy = (state: ThreadSafeState<CodegenState>): Held => ({
  contents: { ...state.snapshot() },
  version: state.getVersion(),
  history: state.getHistory(),
  marks: state.getKnownGoodMarks(),
});

/** A SHA-256 of the held state's JSON: key order included, so two replicas match only when they applied the same writes in the same order. */
export const digestOf = (held: Held): string => createHash('sha256').update(JSON.stringify(held)).digest('hex');
