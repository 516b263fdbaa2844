export { checkStateModel, ModelRunFailure, stateModelProperty, type StateModelOptions, type SubjectFactory } from './checkStateModel.ts';
export { checkInterleavings, interleavingProperty, scheduledState, type InterleavingOptions, type FinalState } from './checkInterleavings.ts';
export { commandArbitraries, keyArbitrary, valueArbitrary, DEFAULT_KEYS, DEFAULT_MIX, type CommandKind, type CommandMix } from './arbitraries.ts';
export { ReferenceModel, type ErrorClass, type Expected, type ModelRecord } from './referenceModel.ts';
export { checkInvariants, ModelMismatch, type TakenSnapshot } from './invariants.ts';
export { recipes, type RecipeName } from './recipes.ts';
export { subjectFromActor, subjectFromState, type StateSubject } from './subject.ts';
export type { RunModel, VersionGuard, RollbackTarget, SnapshotTarget } from './modelCommands.ts';
export { soakRuns } from './soak.ts';
