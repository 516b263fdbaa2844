import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openThreadSafeState } from 'concord-state';

type Team = { phase: string; done: string[] };
const dir = mkdtempSync(join(tmpdir(), 'concord-team-'));

// A new directory: initialState seeds it.
const first = await openThreadSafeState<Team>({ dir, initialState: { phase: 'plan', done: [] } });
await first.set('phase', 'build', { changedBy: 'planner' }); // resolves once its record is on disk ('fsync', the default)
await first.modify('done', (done) => void done.push('models'), { default: [], changedBy: 'agent-1' });
await first.close(); // every write on disk, the directory released

// The next process (or this one after a crash) opens the same directory: it has a state, so initialState is ignored.
const second = await openThreadSafeState<Team>({ dir, initialState: { phase: 'plan', done: [] } });
console.log({ ...second.snapshot() }, second.getVersion()); // { phase: 'build', done: [ 'models' ] } 2
console.log(second.recovery); // { replayed: 2, tornBytes: 0, droppedRecords: 0 }
for (const record of second.getHistory()) console.log(`v${record.version} ${record.key} by ${record.changedBy}`); // v2 done by agent-1, then v1 phase by planner
console.log(second.snapshotAt(1).done, second.getMetrics().setCount); // [] 0: the history window is back; metrics start again at 0
await second.rollback(1, { changedBy: 'ops' }); // into the recovered window, as version 3
console.log(second.get('done'), second.getVersion()); // [] 3
await second.close();
rmSync(dir, { recursive: true, force: true });
