import { createThreadSafeState, StateConflictError, StateKeyError, StateRollbackError, StateVersionError } from 'concord-state';

const state = createThreadSafeState<Record<string, number>>({ maxHistorySize: 2 });
for (let i = 1; i <= 4; i++) await state.set('step', i); // versions 1 to 4; the history keeps the last two

try {
  state.getRequired('missing');
} catch (error) {
  if (error instanceof StateKeyError) console.log(error.key, error.availableKeys); // missing [ 'step' ]
}

try {
  await state.set('step', 5, { expectedVersion: 3 }); // compare-and-swap: the state is at 4
} catch (error) {
  if (error instanceof StateConflictError) console.log(error.expectedVersion, error.actualVersion); // 3 4
}

for (const read of [() => state.snapshotAt(1), () => state.rollback(1)]) {
  try {
    await read(); // version 1 has left the history window
  } catch (error) {
    if (error instanceof StateRollbackError) console.log(error.name, error.targetVersion, error.oldestVersion); // StateRollbackError 1 2
  }
}

try {
  state.snapshotAt(9); // a version that does not exist yet
} catch (error) {
  if (error instanceof StateVersionError) console.log(error.name, error.currentVersion, error.targetVersion); // StateVersionError 4 9
}
state.stop();
