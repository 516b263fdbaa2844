// Worker entry for agent scripts written in TypeScript: tsx compiles the
// script on load (ESM hooks registered with --import do not reach workers).
import { workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

await tsImport(workerData.script, import.meta.url);
