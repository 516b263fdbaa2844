import { z } from 'zod';

/** What a history record says happened to its key. */
export const ChangeOperationSchema = z.enum(['set', 'update', 'delete', 'clear', 'rollback']);
/** @see ChangeOperationSchema */
export type ChangeOperation = z.infer<typeof ChangeOperationSchema>;

/** A state version: 0 before the first write, +1 per applied write. */
export const VersionSchema = z.number().int().nonnegative();

/** A state key: any non-empty string, `__proto__` and `constructor` included. */
export const StateKeySchema = z.string().min(1, 'a key must be a non-empty string');

/**
 * One change to one key, frozen. `existedBefore` and `existsAfter` tell an
 * absent key apart from a key that held `null` or `undefined`, which is what
 * lets rollback restore a stored `null` instead of deleting the key.
 */
export const StateChangeRecordSchema = z
  .object({
    /** Milliseconds since the epoch, from the state's clock, stamped when the command was made. */
    timestamp: z.number(),
    /** The version this change produced. */
    version: VersionSchema,
    key: StateKeySchema,
    operation: ChangeOperationSchema,
    oldValue: z.unknown(),
    newValue: z.unknown(),
    existedBefore: z.boolean(),
    existsAfter: z.boolean(),
    /** The agent or step that made the change, or null. */
    changedBy: z.string().nullable(),
  })
  .readonly();
/** @see StateChangeRecordSchema */
export type StateChangeRecord = z.infer<typeof StateChangeRecordSchema>;

/** A version recorded as known good by `markKnownGood`, to roll back to with `rollbackToLastKnownGood`. */
export const KnownGoodMarkSchema = z
  .object({
    version: VersionSchema,
    label: z.string().nullable(),
    /** Milliseconds since the epoch, from the state's clock. */
    timestamp: z.number(),
  })
  .readonly();
/** @see KnownGoodMarkSchema */
export type KnownGoodMark = z.infer<typeof KnownGoodMarkSchema>;

/** Counters kept by the state actor and the facade's reads. */
export const StateMetricsSchema = z.object({
  getCount: z.number().int().nonnegative(),
  setCount: z.number().int().nonnegative(),
  deleteCount: z.number().int().nonnegative(),
  snapshotCount: z.number().int().nonnegative(),
  rollbackCount: z.number().int().nonnegative(),
  rejectedCount: z.number().int().nonnegative(),
  /** Reads and writes refused to agents' handles for keys outside their patterns (StateAccessError); also counted in rejectedCount when a command. */
  accessDeniedCount: z.number().int().nonnegative(),
  cacheHits: z.number().int().nonnegative(),
  cacheMisses: z.number().int().nonnegative(),
  /** cacheHits / (cacheHits + cacheMisses), 0 before the first snapshot. */
  cacheHitRate: z.number().min(0).max(1),
  /** Mean time the actor spent applying one write command, in microseconds. */
  /** Mean time to apply a write, over about one applied write in 16. */
  meanWriteMicros: z.number().nonnegative(),
});
/** @see StateMetricsSchema */
export type StateMetrics = z.infer<typeof StateMetricsSchema>;

/** Typed state for a team of agents working one session (the reference's AgentCoordinationState). */
export const AgentCoordinationStateSchema = z.object({
  sessionId: z.string(),
  agentCount: z.number().int().nonnegative(),
  completedAgents: z.array(z.string()).default(() => []),
  sharedContext: z.record(z.string(), z.unknown()).default(() => ({})),
  generatedFiles: z.array(z.string()).default(() => []),
  currentPhase: z.string().default('initialization'),
});
/** @see AgentCoordinationStateSchema */
export type AgentCoordinationState = z.infer<typeof AgentCoordinationStateSchema>;

/** Typed state for a code-generation workflow (the reference's CodeGenerationState). */
export const CodeGenerationStateSchema = z.object({
  workflowId: z.string(),
  contractsParsed: z.record(z.string(), z.unknown()).default(() => ({})),
  /** Model name -> file path. */
  generatedModels: z.record(z.string(), z.string()).default(() => ({})),
  /** Validator name -> file path. */
  generatedValidators: z.record(z.string(), z.string()).default(() => ({})),
  /** Test name -> file path. */
  generatedTests: z.record(z.string(), z.string()).default(() => ({})),
  /** Type name -> definition. */
  typeRegistry: z.record(z.string(), z.string()).default(() => ({})),
  importStatements: z.array(z.string()).default(() => []),
  qualityMetrics: z.record(z.string(), z.number()).default(() => ({})),
});
/** @see CodeGenerationStateSchema */
export type CodeGenerationState = z.infer<typeof CodeGenerationStateSchema>;
