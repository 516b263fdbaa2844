import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createThreadSafeState, openThreadSafeState, StateRollbackError } from 'concord-state';

type Build = { phase: string; models: string[]; scratch: string };
const dir = mkdtempSync(join(tmpdir(), 'concord-known-good-'));
const state = await openThreadSafeState<Build>({ dir });

await state.update({ phase: 'models', models: ['user.ts'] }, { changedBy: 'planner' }); // version 1
console.log(await state.markKnownGood('models generated'), state.getVersion()); // 1 1: the version marked; a mark makes no version
await state.set('models', [], { changedBy: 'agent-x' }); // version 2: an agent goes wrong
await state.set('scratch', 'half a file', { changedBy: 'agent-x' }); // version 3

// Back to the newest mark, as a new version: one rollback record per key changed since it.
console.log(await state.rollbackToLastKnownGood({ changedBy: 'ops' })); // 4
console.log({ ...state.snapshot() }); // { phase: 'models', models: [ 'user.ts' ] }
for (const record of state.getHistory({ limit: 2 })) console.log(record.version, record.key, record.operation, record.changedBy);
// 4 models rollback ops, then 4 scratch rollback ops

// Keep only the keys known to be sound: one version, a delete record for each key removed.
await state.update({ phase: 'validators', scratch: '{"broken":' }, { changedBy: 'agent-y' }); // version 5
console.log(await state.recoverFromCorruptedState(['phase', 'models'], { changedBy: 'recovery' })); // 6
console.log(state.keys(), state.getHistory({ limit: 1 })[0]?.operation); // [ 'phase', 'models' ] delete
console.log(await state.recoverFromCorruptedState(['phase', 'models'])); // 6: nothing to remove, no new version

await state.markKnownGood('validators started');
await state.close();

// The journal keeps the marks: a reopened state rolls back to them as before.
const reopened = await openThreadSafeState<Build>({ dir });
console.log(reopened.getKnownGoodMarks().map(({ version, label }) => `${version}: ${label}`)); // [ '1: models generated', '6: validators started' ]
await reopened.set('phase', 'tests');
console.log(await reopened.rollbackToLastKnownGood(), reopened.get('phase')); // 8 validators
await reopened.close();
rmSync(dir, { recursive: true, force: true });

// A mark whose version has left the history window is dropped: with none left, nothing changes.
const small = createThreadSafeState<{ step: number }>({ maxHistorySize: 2 });
await small.set('step', 1);
await small.markKnownGood();
for (let step = 2; step <= 4; step++) await small.set('step', step);
console.log(small.getKnownGoodMarks()); // []: version 1 is out of the window
await small.rollbackToLastKnownGood().catch((error: unknown) => {
  if (error instanceof StateRollbackError) console.log(error.name, small.getVersion()); // StateRollbackError 4
});
small.stop();
