/**
 * The code-generation pipeline with each stage's agents in an OS process of
 * their own, sharing one state through a real redis-server
 * (examples/redis/runInProcesses.ts, the core of `npm run
 * example:redis:codegen`): it completes, every replica ends holding the
 * same, each write is its agent's, sent from its stage's process, and the
 * output is what the pipeline makes in one process; every replica names the
 * process each version came from. And a stage under the local inspector
 * records each version of its replica once, with its origin.
 */
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PipelineSchema, runPipeline } from 'concord-state';
import { createLocalInspector } from 'concord-state/inspect';
import { connectThreadSafeState } from 'concord-state/redis';
import { codegenAgents, codegenPipeline } from '../../examples/codegen/agents.ts';
import { readContracts } from '../../examples/codegen/contract.ts';
import { outputOf, writesOf } from '../../examples/redis/codegenOutput.ts';
import { codegenStateOptions, digestOf, heldBy } from '../../examples/redis/codegenReplica.ts';
import { stageOfWriter } from '../../examples/redis/processSummary.ts';
import { runInProcesses, type ProcessesRun } from '../../examples/redis/runInProcesses.ts';
// originOf names the replica of each version in the window; the stream's entries name it for every proposal, those that lost a race included.
import { decodeEntry } from '../../src/redis/streamEntry.ts';
import { testRedis, uniqueName, type TestRedis } from './support/redisServer.ts';

const contractsDir = fileURLToPath(new URL('../../examples/contracts', import.meta.url));
const items = readContracts(contractsDir).map((contract) => ({ id: contract.name, data: contract }));
const contracts = items.map((item) => item.id);
const stages = PipelineSchema.parse(codegenPipeline).stages.map((stage) => stage.id);
/** The keys each stage's agents write (examples/codegen/agents.ts), besides the bookkeeping's completedAgents. */
const keysOf: Readonly<Record<string, readonly string[]>> = {
  parse: ['contractsParsed', 'typeRegistry'],
  models: ['files', 'generatedModels'],
  validators: ['files', 'generatedValidators'],
  tests: ['files', 'generatedTests', 'qualityMetrics'],
};

let redis: TestRedis;
let name: string;
let run: ProcessesRun;

beforeAll(async () => {
  redis = await testRedis();
  name = uniqueName('codegen-processes');
  run = await runInProcesses({ url: redis.url, name, contractsDir });
}, 180_000);
afterAll(async () => {
  await redis.dispose();
});

describe('the code-generation pipeline, one process per stage', () => {
  it('completes, every stage in a process of its own', () => {
    expect(run.stages.map((stage) => stage.stage)).toEqual(stages);
    expect(new Set(run.stages.map((stage) => stage.pid)).size).toBe(stages.length);
    expect(run.stages.map((stage) => stage.pid)).not.toContain(process.pid);
    expect(new Set(run.stages.map((stage) => stage.origin)).size).toBe(stages.length);
    expect(run.held.contents.completedSteps).toEqual(stages);
    expect(run.held.contents.completedAgents).toHaveLength(stages.length * contracts.length);
  });

  it('ends with every replica holding the same contents, version, history and marks, a replica joining afterwards too', async () => {
    for (const stage of run.stages) {
      expect(stage.version).toBe(run.held.version);
      expect(stage.digest).toBe(run.digest);
    }
    const late = await connectThreadSafeState({ url: redis.url, name, ...codegenStateOptions(name) });
    try {
      await late.sync();
      expect(heldBy(late)).toEqual(run.held);
      expect(digestOf(heldBy(late))).toBe(run.digest);
    } finally {
      await late.close();
    }
  });

  it("records each write with its agent's id as changedBy", () => {
    for (const record of run.held.history) {
      if (record.key === 'completedSteps') {
        expect(record.changedBy).toBe(`workflow:${String((record.newValue as string[]).at(-1))}`);
        continue;
      }
      const [stage = '', contract = ''] = (record.changedBy ?? '').split(':');
      expect(stages, String(record.changedBy)).toContain(stage);
      expect(contracts, String(record.changedBy)).toContain(contract);
      if (record.key === 'completedAgents') expect((record.newValue as string[]).at(-1)).toBe(record.changedBy);
      else expect(keysOf[stage], `${record.changedBy} wrote ${record.key}`).toContain(record.key);
    }
    const writers = new Set(run.held.history.map((record) => record.changedBy));
    expect(writers).toEqual(
      new Set([...stages.flatMap((stage) => contracts.map((contract) => `${stage}:${contract}`)), ...stages.map((s) => `workflow:${s}`)]),
    );
  });

  it("sends each write from its stage's process, as the stream's entries say", async () => {
    const originOf = new Map(run.stages.map((stage) => [stage.stage, stage.origin]));
    const raw = new Redis(redis.url);
    try {
      const proposals = (await raw.xrangeBuffer(`concord:{${name}}:stream`, '-', '+'))
        .map(([id, fields]) => decodeEntry(id, fields))
        .flatMap((entry) => entry.proposals.map(({ proposal }) => ({ origin: entry.origin, proposal })));
      // A mark carries no agent: each process marks its one-stage pipeline's wave once.
      const marks = proposals.filter(({ proposal }) => proposal?.write.type === 'markKnownGood');
      expect(marks.map(({ origin }) => origin).sort()).toEqual([...originOf.values()].sort());
      const writes = proposals.filter((proposal) => !marks.includes(proposal));
      // Every write the history holds, and the proposals that lost a race on their key.
      expect(writes.length).toBeGreaterThanOrEqual(run.held.history.length);
      for (const { origin, proposal } of writes) {
        const writer = proposal?.agent?.agentId ?? null;
        expect(origin, String(writer)).toBe(originOf.get(stageOfWriter(writer) ?? ''));
      }
    } finally {
      raw.disconnect();
    }
  });

  it("names each version's process: a replica joining afterwards answers originOf with the writing stage's replica, labelled by host name and pid", async () => {
    const late = await connectThreadSafeState({ url: redis.url, name, ...codegenStateOptions(name) });
    try {
      await late.sync();
      const byStage = new Map(run.stages.map((stage) => [stage.stage, { id: stage.origin, label: `${hostname()}:${stage.pid}` }]));
      expect(run.held.history.length).toBeGreaterThan(0);
      for (const record of run.held.history)
        expect(late.originOf(record.version), String(record.changedBy)).toEqual(byStage.get(stageOfWriter(record.changedBy) ?? ''));
    } finally {
      await late.close();
    }
  });

  it('produces what the pipeline produces in one process: the same files, keys and writes', () => {
    const files = run.held.contents.files ?? {};
    expect(Object.keys(files).sort()).toEqual(contracts.flatMap((contract) => [`${contract}.schema.ts`, `${contract}.test.ts`, `${contract}.validator.ts`]));
    expect(files).toEqual(run.oneProcess.contents.files);
    expect(outputOf(run.held.contents)).toBe(outputOf(run.oneProcess.contents));
    expect(writesOf(run.held.history)).toEqual(writesOf(run.oneProcess.history));
  });
});

describe('a stage on a replicated state under the local inspector', () => {
  it("records each of its replica's versions once, with this process as their origin, though the replica and the pipeline both hand the state over", async () => {
    const local = await createLocalInspector();
    const stageName = uniqueName('codegen-inspected');
    const state = await connectThreadSafeState({ url: redis.url, name: stageName, ...codegenStateOptions(stageName), inspect: local.inspector });
    try {
      const parse = { stages: [{ id: 'parse', agent: 'parse' }] };
      await expect(runPipeline({ pipeline: parse, items, state, agents: codegenAgents, inspect: local.inspector }).done).resolves.toEqual({
        status: 'completed',
      });
      const versions = local.recording().entries.flatMap((entry) => (entry.kind === 'version' ? [entry] : []));
      expect(versions.map((entry) => entry.version)).toEqual(Array.from({ length: state.getVersion() }, (_, index) => index + 1));
      // Every write is this process's: each version says so.
      for (const entry of versions) expect(entry.origin, `v${entry.version}`).toEqual({ id: state.origin, label: `${hostname()}:${process.pid}` });
    } finally {
      await state.close();
      await local.close();
    }
  });
});
