export { createThreadSafeState } from './createThreadSafeState.ts';
export { openThreadSafeState, type DurableThreadSafeState, type JournalRecovery } from './durable/openThreadSafeState.ts';
export type { OpenThreadSafeStateOptions } from './durable/durableOptions.ts';
export type { Durability } from './journal/journal.ts';
export type { JournalFs, JournalFile } from './journal/journalFs.ts';
export type {
  AgentActor,
  AgentState,
  HistoryQuery,
  ModifyOptions,
  StateKey,
  StateShape,
  StateSnapshot,
  ThreadSafeState,
  WriteOptions,
} from './threadSafeState.ts';
export { AgentAccessSchema, type AgentAccess } from './access/grants.ts';
export { KeyPatternSchema } from './access/keyPatterns.ts';
export { createStateConfig, type SchemaStateOptions, type ThreadSafeStateOptions } from './options.ts';
export type { ChangeListener, WaitForOptions } from './changeFeed.ts';
export type { Clock, Commit, StateConfig, StateEngine } from './commands/stateEngine.ts';
export { createStateActor, type StateActor } from './stateActor.ts';
export { stateLogic, type StateActorSnapshot, type StateEvent } from '../machines/state.logic.ts';
export { fromAgent, type AgentContext, type AgentInput, type AgentWork } from '../actors/fromAgent.ts';
export { stateRequest, type StateRequestInput } from '../actors/stateRequest.actor.ts';
export { StateClient, type OutgoingCommand, type StateClientOptions, type StateTransport } from './client/stateClient.ts';
export { connectInProcess, type ConnectedClient } from './client/inProcess.ts';
export { pipelineMachine, rollbackTo, type PipelineInput, type PipelineOutput } from '../machines/pipeline.machine.ts';
export { stageMachine, type PipelineItem, type StageAgentInput, type StageInput, type StageOutput } from '../machines/stage.machine.ts';
export { runPipeline, type RunPipelineOptions } from './workflow/runPipeline.ts';
export { ambientInspector, resolveInspector, setAmbientInspector, type ConcordInspector, type Inspect } from './inspect/ambient.ts';
export { PipelineSchema, StageSchema, orderStages, type Pipeline, type Stage } from './workflow/pipelineSchema.ts';
export {
  isStepReady,
  monitorPerformance,
  waitForAgentCompletion,
  type PerformanceReport,
  type WorkflowState,
  type WorkflowStateShape,
} from './workflow/workflowState.ts';
export {
  ThreadSafeStateError,
  StateKeyError,
  StateVersionError,
  StateRollbackError,
  StateConflictError,
  StateKeyConflictError,
  StateValidationError,
  StateTimeoutError,
  StateRecipeError,
  StateStoppedError,
  StateOptionsError,
  StateJournalError,
  StateLockedError,
  StateAccessError,
  errorFromPayload,
  type ErrorPayload,
  type ValidationIssue,
} from './errors.ts';
export {
  ChangeOperationSchema,
  VersionSchema,
  StateKeySchema,
  StateChangeRecordSchema,
  KnownGoodMarkSchema,
  StateMetricsSchema,
  AgentCoordinationStateSchema,
  CodeGenerationStateSchema,
  type ChangeOperation,
  type StateChangeRecord,
  type KnownGoodMark,
  type StateMetrics,
  type AgentCoordinationState,
  type CodeGenerationState,
} from './schemas.ts';
export {
  ActorRefSchema,
  SetCommandSchema,
  UpdateCommandSchema,
  DeleteCommandSchema,
  ClearCommandSchema,
  ModifyCommandSchema,
  RollbackCommandSchema,
  RollbackToKnownGoodCommandSchema,
  RetainCommandSchema,
  MarkKnownGoodCommandSchema,
  GetCommandSchema,
  SnapshotCommandSchema,
  HistoryCommandSchema,
  ClearHistoryCommandSchema,
  MetricsCommandSchema,
  VersionCommandSchema,
  KeyVersionCommandSchema,
  StateCommandSchema,
  ErrorPayloadSchema,
  StateReplySchema,
  type CommandOf,
  type Recipe,
  type StateCommand,
  type StateCommandType,
  type StateReply,
  type WriteCommand,
  type MalformedEvent,
} from './protocol.ts';
