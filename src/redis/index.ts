export { connectThreadSafeState } from './connectThreadSafeState.ts';
export type { ConnectThreadSafeStateOptions } from './redisOptions.ts';
export type { KeyModifyOptions, KeyWriteOptions, ReplicatedThreadSafeState, UpdateOptions } from './replicatedThreadSafeState.ts';
export { StateEntryTooLargeError, StateKeyConflictError, StateUnavailableError } from './redisErrors.ts';
