import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createThreadSafeState } from 'concord-state';
import { createLocalInspector, loadRecording } from 'concord-state/inspect';

const local = await createLocalInspector(); // { port } to choose one; 0, the default, lets the system choose
console.log(`open ${local.url}`); // http://127.0.0.1:PORT/

const state = createThreadSafeState<{ phase: string }>({ inspect: local.inspector }); // or setAmbientInspector(local.inspector)
await state.set('phase', 'models', { changedBy: 'planner' });
await state.set('phase', 'tests', { changedBy: 'planner' });
state.stop();

const file = join(mkdtempSync(join(tmpdir(), 'concord-run-')), 'run.json');
await local.save(file); // open it later with the page's Load
await local.close();

const recording = await loadRecording(file); // checked against RecordingSchema
console.log(recording.format, recording.entries.filter((entry) => entry.kind === 'version').length); // concord-inspection 2
