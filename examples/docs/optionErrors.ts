import { createThreadSafeState, StateValidationError } from 'concord-state';

const state = createThreadSafeState<{ phase: string; count: number }>({ initialState: { phase: 'parse' } });

// TypeScript refuses a misspelled option; from plain JavaScript, the state refuses it too instead of dropping the field.
const refusal = (error: unknown) => (error instanceof StateValidationError ? error.message : error);

// @ts-expect-error changedBy, not changeBy
await state.set('phase', 'models', { changeBy: 'agent-1' }).catch((error: unknown) => console.log(refusal(error)));
// Invalid command: changeBy: unknown option "changeBy"; accepted: changedBy, expectedVersion, expectedKeyVersion

// @ts-expect-error default, not defualt
await state.modify('count', (n) => n + 1, { defualt: 0 }).catch((error: unknown) => console.log(refusal(error)));
// Invalid command: defualt: unknown option "defualt"; accepted: changedBy, expectedVersion, default, expectedKeyVersion

// @ts-expect-error timeout, not timout
await state.waitFor((s) => s.phase === 'done', { timout: 50 }).catch((error: unknown) => console.log(refusal(error)));
// Invalid command: timout: unknown option "timout"; accepted: timeout, signal

try {
  // @ts-expect-error limit, not limt
  state.getHistory({ limt: 1 }); // a read: it throws rather than rejects
} catch (error) {
  if (error instanceof StateValidationError) console.log(error.key, error.issues); // null [ { path: [ 'limt' ], message: 'unknown option "limt"; accepted: key, limit' } ]
}

console.log(state.get('phase'), state.get('count'), state.getVersion()); // parse undefined 0: nothing was written
await state.set('phase', 'models', { changedBy: 'agent-1' }); // spelled right, it applies
console.log(state.getHistory({ limit: 1 })[0]?.changedBy); // agent-1
state.stop();
