/**
 * The main example (`npm start`): the reference's code-generation pipeline.
 * Reads the contracts in examples/contracts/ (or --contracts <dir>), runs
 * parse -> models -> validators -> tests with one agent per contract in each
 * stage, and writes a zod schema module, a validator module and a vitest
 * test file per contract into the output folder (first argument; default a
 * fresh temp folder). The shared state is kept in a journal in the folder's
 * `.concord/`, so a run that was interrupted (killed, even) resumes where it
 * stopped when run again on the same folder. No file is written unless the
 * whole run completes. `--crash-after <stage>` kills the process with
 * SIGKILL once that stage is done, to show it.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { monitorPerformance, openThreadSafeState, runPipeline } from 'concord-state';
import { codegenAgents, codegenPipeline, CodegenStateSchema } from './codegen/agents.ts';
import { ContractError, readContracts } from './codegen/contract.ts';

/** Takes `--name value` out of `argv`. */
function takeOption(argv: string[], name: string): string | undefined {
  const at = argv.indexOf(name);
  if (at < 0) return undefined;
  const [, value] = argv.splice(at, 2);
  return value;
}

function parseArgs(argv: readonly string[]) {
  const rest = [...argv];
  const contractsDir = takeOption(rest, '--contracts');
  const crashAfter = takeOption(rest, '--crash-after');
  return {
    contractsDir: resolve(contractsDir ?? join(dirname(fileURLToPath(import.meta.url)), 'contracts')),
    outDir: rest[0] === undefined ? join(tmpdir(), `concord-codegen-${randomUUID()}`) : resolve(rest[0]),
    crashAfter,
  };
}

/** The journal's folder, refusing a folder that has files of something else: this example never writes over them. */
function stateDirOf(outDir: string): string {
  const stateDir = join(outDir, '.concord');
  if (existsSync(outDir) && !existsSync(stateDir) && readdirSync(outDir).length > 0) {
    throw new Error(`${outDir} has files and is not a folder of this example (no .concord/): give an empty or new folder`);
  }
  return stateDir;
}

/** Writes every file, each to a temporary name first then renamed, so no file is ever half written; a rerun writes them again. */
function writeAll(outDir: string, files: Readonly<Record<string, string>>): string[] {
  for (const [path, content] of Object.entries(files)) {
    writeFileSync(join(outDir, `.${path}.tmp`), content);
    renameSync(join(outDir, `.${path}.tmp`), join(outDir, path));
  }
  return Object.keys(files).map((path) => join(outDir, path));
}

async function main(): Promise<number> {
  const { contractsDir, outDir, crashAfter } = parseArgs(process.argv.slice(2));
  let contracts;
  let stateDir;
  try {
    contracts = readContracts(contractsDir);
    stateDir = stateDirOf(outDir);
  } catch (error) {
    if (error instanceof ContractError || error instanceof Error) {
      console.error(`error: ${error.message}`);
      return 1;
    }
    throw error;
  }
  console.log(`${contracts.length} contracts: ${contracts.map((contract) => contract.name).join(', ')}`);

  mkdirSync(stateDir, { recursive: true });
  const state = await openThreadSafeState({
    dir: stateDir,
    schema: CodegenStateSchema,
    initialState: CodegenStateSchema.parse({ workflowId: `codegen-${Date.now()}` }),
    maxHistorySize: 10_000,
  });
  const stages = codegenPipeline.stages.map((stage) => stage.id);
  const resume = state.getVersion() > 0;
  const completedBefore = state.get('completedSteps') ?? [];
  if (resume)
    console.log(
      `resuming the run kept in ${relative(process.cwd(), stateDir)} at version ${state.getVersion()} (done: ${completedBefore.join(', ') || 'nothing'})`,
    );
  state.subscribe(({ records, version }) => {
    for (const record of records) {
      // A resumed run's rollback restores completedSteps too: not a stage done.
      if (record.key !== 'completedSteps' || record.operation === 'rollback') continue;
      const stage = (record.newValue as string[]).at(-1);
      console.log(`  stage ${stage} done (version ${version})`);
      // A mark is acknowledged once the journal has it and every version before it, this stage's included.
      if (stage !== undefined && stage === crashAfter) void state.markKnownGood(`--crash-after ${stage}`).then(() => process.kill(process.pid, 'SIGKILL'));
    }
  });

  const started = performance.now();
  if (!stages.every((stage) => completedBefore.includes(stage))) {
    const { done } = runPipeline({
      pipeline: codegenPipeline,
      items: contracts.map((contract) => ({ id: contract.name, data: contract })),
      state,
      agents: codegenAgents,
      resume,
    });
    const outcome = await done;
    if (outcome.status !== 'completed') {
      console.error(`error: the pipeline ${outcome.status} in stage ${outcome.stage}: ${String(outcome.error)}`);
      await state.close();
      return 1;
    }
  }
  const written = writeAll(outDir, state.get('files') ?? {});
  const elapsed = performance.now() - started;

  console.log(`\n${written.length} files written to ${outDir}:`);
  for (const path of written) console.log(`  ${path}`);
  console.log(`\nfinal version ${state.getVersion()}, ${elapsed.toFixed(0)} ms; last changes, newest first:`);
  for (const record of state.getHistory({ limit: 5 })) {
    console.log(`  v${record.version} ${record.operation} ${record.key} by ${record.changedBy}`);
  }
  const report = monitorPerformance(state);
  console.log(
    `\nperformance: ${report.totalOperations} operations, read/write ${report.readWriteRatio.toFixed(2)}, ` +
      `snapshot cache hit rate ${report.cacheHitRate.toFixed(2)}, version ${report.currentVersion}, ` +
      `${report.stateSize} keys, ${report.historySize} history records`,
  );
  await state.close();
  return 0;
}

process.exitCode = await main();
