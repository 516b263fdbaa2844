export { connectThreadSafeState } from './connectThreadSafeState.ts';
export type { ConnectThreadSafeStateOptions } from './redisOptions.ts';
export type { ReplicatedThreadSafeState } from './replicatedThreadSafeState.ts';
export type { VersionOrigin } from '../inspect/versionOrigin.ts';
export { StateEntryTooLargeError, StateUnavailableError } from './redisErrors.ts';
export { StateKeyConflictError } from '../errors.ts';
