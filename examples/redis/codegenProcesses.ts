/**
 * The code-generation pipeline (`npm start`) with each stage's agents in an
 * OS process of their own, sharing one state through Redis: parse, models,
 * validators and tests each start at once and wait, on the shared state,
 * for the stages they depend on. Prints the files generated, which process
 * wrote what (from the history: each write's changedBy names its agent, and
 * so its stage), whether every replica ended holding the same, and whether
 * the output is what the pipeline makes in one process. Reads
 * examples/contracts/ (or --contracts <dir>); uses REDIS_URL, or starts a
 * redis-server of its own for the run. `npm run example:redis:codegen`
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { outputOf, writesOf } from './codegenOutput.ts';
import { exampleRedis } from './ownRedis.ts';
import { writesByProcess } from './processSummary.ts';
import { runInProcesses, type ProcessesRun } from './runInProcesses.ts';

function contractsDirOf(argv: readonly string[]): string {
  const at = argv.indexOf('--contracts');
  const given = at < 0 ? undefined : argv[at + 1];
  return resolve(given ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'contracts'));
}

/** Prints the run; true when every replica agrees and the output is the one-process run's. */
function report({ stages, held, digest, oneProcess }: ProcessesRun): boolean {
  const files = held.contents.files ?? {};
  console.log(`\n${Object.keys(files).length} files generated:`);
  for (const path of Object.keys(files).sort()) console.log(`  ${path} (${files[path]?.length ?? 0} characters)`);

  const { processes, unattributed } = writesByProcess(held.history, stages);
  console.log('\nwrites per process, from the history (a changedBy names its agent, `<stage>:<contract>`, and so its stage):');
  for (const { report: stage, writes, writers } of processes) {
    console.log(`  stage ${stage.stage}: pid ${stage.pid}, replica ${stage.origin.slice(0, 8)}, ${writes} writes`);
    for (const [writer, keys] of writers) console.log(`    ${writer.padEnd(20)} ${keys.join(', ')}`);
  }
  if (unattributed > 0) console.log(`  ${unattributed} writes by no stage`);

  const agree = stages.every((stage) => stage.digest === digest);
  const pids = new Set(stages.map((stage) => stage.pid)).size === stages.length;
  const same = outputOf(held.contents) === outputOf(oneProcess.contents) && isDeepStrictEqual(writesOf(held.history), writesOf(oneProcess.history));
  console.log(`\n${stages.length} stages in ${new Set(stages.map((stage) => stage.pid)).size} processes, one each: ${pids}`);
  console.log(`every replica holds the same (version ${held.version}, ${held.history.length} history records, digest ${digest.slice(0, 12)}): ${agree}`);
  console.log(`the same files, keys and writers as the pipeline run in one process: ${same}`);
  return agree && pids && same && unattributed === 0;
}

const redis = await exampleRedis();
try {
  const contractsDir = contractsDirOf(process.argv.slice(2));
  const name = `example-codegen-${process.pid}`;
  console.log(`state "${name}" on ${redis.url}: one process per stage, each with its own replica`);
  const run = await runInProcesses({ url: redis.url, name, contractsDir });
  process.exitCode = report(run) ? 0 : 1;
} finally {
  await redis.stop();
}
