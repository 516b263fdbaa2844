/**
 * The main example (`npm start`): the reference's code-generation pipeline.
 * Reads the contracts in examples/contracts/ (or --contracts <dir>), runs
 * parse -> models -> validators -> tests with one agent per contract in each
 * stage, and writes a zod schema module, a validator module and a vitest
 * test file per contract into the output folder (first argument; default a
 * fresh temp folder). Nothing is written unless the whole run completes.
 */
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createThreadSafeState, monitorPerformance, runPipeline } from 'concord-state';
import { codegenAgents, codegenPipeline, CodegenStateSchema } from './codegen/agents.ts';
import { ContractError, readContracts } from './codegen/contract.ts';

function parseArgs(argv: readonly string[]) {
  const contractsAt = argv.indexOf('--contracts');
  const contractsDir = contractsAt >= 0 ? argv[contractsAt + 1] : undefined;
  const rest = contractsAt < 0 ? [...argv] : argv.filter((_, i) => i !== contractsAt && i !== contractsAt + 1);
  return {
    contractsDir: resolve(contractsDir ?? join(dirname(fileURLToPath(import.meta.url)), 'contracts')),
    // Not created here: nothing is written before the whole run has completed.
    outDir: rest[0] === undefined ? join(tmpdir(), `concord-codegen-${randomUUID()}`) : resolve(rest[0]),
  };
}

/**
 * Writes every file into a staging folder beside `outDir`, then renames the
 * folder into place in one step: either the whole set is there or none of it.
 * `outDir` must not exist yet, or be empty.
 */
function writeAll(outDir: string, files: Readonly<Record<string, string>>): string[] {
  mkdirSync(dirname(outDir), { recursive: true });
  const staging = mkdtempSync(join(dirname(outDir), '.concord-staging-'));
  try {
    for (const [path, content] of Object.entries(files)) writeFileSync(join(staging, path), content);
    renameSync(staging, outDir);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(`could not write ${outDir} (it must not exist, or be empty): ${(error as Error).message}`, { cause: error });
  }
  return Object.keys(files).map((path) => join(outDir, path));
}

async function main(): Promise<number> {
  const { contractsDir, outDir } = parseArgs(process.argv.slice(2));
  let contracts;
  try {
    contracts = readContracts(contractsDir);
  } catch (error) {
    if (error instanceof ContractError) {
      console.error(`error: ${error.message}`);
      return 1;
    }
    throw error;
  }
  console.log(`${contracts.length} contracts: ${contracts.map((contract) => contract.name).join(', ')}`);

  const state = createThreadSafeState({
    schema: CodegenStateSchema,
    initialState: CodegenStateSchema.parse({ workflowId: `codegen-${Date.now()}` }),
    maxHistorySize: 10_000,
  });
  state.subscribe(({ records, version }) => {
    for (const record of records) {
      if (record.key === 'completedSteps') console.log(`  stage ${(record.newValue as string[]).at(-1)} done (version ${version})`);
    }
  });

  const started = performance.now();
  const { done } = runPipeline({
    pipeline: codegenPipeline,
    items: contracts.map((contract) => ({ id: contract.name, data: contract })),
    state: state,
    agents: codegenAgents,
  });
  const outcome = await done;
  if (outcome.status !== 'completed') {
    console.error(`error: the pipeline ${outcome.status} in stage ${outcome.stage}: ${String(outcome.error)}`);
    state.stop();
    return 1;
  }
  let written: string[];
  try {
    written = writeAll(outDir, state.get('files') ?? {});
  } catch (error) {
    console.error(`error: ${(error as Error).message}`);
    state.stop();
    return 1;
  }
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
  state.stop();
  return 0;
}

process.exitCode = await main();
