import { z } from 'zod';
import { CodeGenerationStateSchema, fromAgent, type AgentInput, type StageAgentInput } from 'concord-state';
import type { Contract } from './contract.ts';
import { renderSchema, renderTest, renderValidator } from './render.ts';

/** The shared state of a code-generation run: the reference's CodeGenerationState, plus the workflow's keys and the files. */
export const CodegenStateSchema = CodeGenerationStateSchema.extend({
  completedSteps: z.array(z.string()).default(() => []),
  completedAgents: z.array(z.string()).default(() => []),
  /** Path -> content of every generated file, written to disk only once the run has completed. */
  files: z.record(z.string(), z.string()).default(() => ({})),
});
export type CodegenState = z.infer<typeof CodegenStateSchema>;

type Input = AgentInput & StageAgentInput & { item: { id: string; data: Contract } };

/**
 * One agent per stage. Each is a plain async function over `ctx.state`: to
 * use a model instead, call it where `render*` is called and store its text.
 */
export const codegenAgents = {
  parse: fromAgent(async ({ state }, { item }: Input) => {
    const contract = item.data;
    await state.modify<Record<string, unknown>>('contractsParsed', (parsed) => void (parsed[contract.name] = contract), { default: {} });
    await state.modify<Record<string, string>>('typeRegistry', (types) => void (types[contract.name] = `./${contract.name}.schema.ts`), { default: {} });
  }),
  models: fromAgent(async ({ state }, { item }: Input) => {
    const path = `${item.id}.schema.ts`;
    await state.modify<Record<string, string>>('files', (files) => void (files[path] = renderSchema(item.data)), { default: {} });
    await state.modify<Record<string, string>>('generatedModels', (models) => void (models[item.id] = path), { default: {} });
  }),
  validators: fromAgent(async ({ state }, { item }: Input) => {
    // Reads what the parse stage recorded, as a later stage would: through the state.
    const parsed = await state.get<Record<string, Contract>>('contractsParsed', {});
    const contract = parsed[item.id];
    if (contract === undefined) throw new Error(`validators: contract ${item.id} was not parsed`);
    const path = `${item.id}.validator.ts`;
    await state.modify<Record<string, string>>('files', (files) => void (files[path] = renderValidator(contract)), { default: {} });
    await state.modify<Record<string, string>>('generatedValidators', (validators) => void (validators[item.id] = path), { default: {} });
  }),
  tests: fromAgent(async ({ state }, { item }: Input) => {
    const path = `${item.id}.test.ts`;
    const code = renderTest(item.data);
    await state.modify<Record<string, string>>('files', (files) => void (files[path] = code), { default: {} });
    await state.modify<Record<string, string>>('generatedTests', (tests) => void (tests[item.id] = path), { default: {} });
    const cases = code.split("\n  it('").length - 1;
    await state.modify<Record<string, number>>('qualityMetrics', (metrics) => void (metrics[`${item.id}.testCases`] = cases), { default: {} });
  }),
};

/** The reference's pipeline: parse contracts, then models, validators and tests, each stage after its dependencies. */
export const codegenPipeline = {
  stages: [
    { id: 'parse', agent: 'parse', retries: 1, timeoutMs: 10_000 },
    { id: 'models', agent: 'models', dependsOn: ['parse'], retries: 1, timeoutMs: 10_000 },
    { id: 'validators', agent: 'validators', dependsOn: ['models'], retries: 1, timeoutMs: 10_000 },
    { id: 'tests', agent: 'tests', dependsOn: ['models', 'validators'], retries: 1, timeoutMs: 10_000 },
  ],
};
