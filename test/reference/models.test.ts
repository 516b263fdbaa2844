import { describe, expect, it } from 'vitest';
import { AgentCoordinationStateSchema, ChangeOperationSchema, CodeGenerationStateSchema, createThreadSafeState, StateChangeRecordSchema } from 'concord-state';

const validRecord = {
  timestamp: 1_700_000_000_000,
  version: 3,
  key: 'counter',
  operation: 'set',
  oldValue: 1,
  newValue: 2,
  existedBefore: true,
  existsAfter: true,
  changedBy: 'agent-1',
} as const;

describe('StateChangeRecordSchema (reference: TestStateChangeRecord)', () => {
  it('accepts every record the state writes to its history', async () => {
    const state = createThreadSafeState<Record<string, unknown>>({ initialState: { a: 1 } });
    await state.set('b', { nested: true }, { changedBy: 'agent-1' });
    await state.update({ a: null, c: undefined });
    await state.delete('b');
    await state.rollback(1);
    await state.clear();

    const history = state.getHistory();

    expect(new Set(history.map((r) => r.operation))).toEqual(new Set(['set', 'update', 'delete', 'rollback', 'clear']));
    for (const record of history) expect(StateChangeRecordSchema.safeParse(record).success).toBe(true);
  });

  it('records are frozen, in history and as parsed by the schema', async () => {
    const state = createThreadSafeState<{ a: number }>();
    await state.set('a', 1);

    const [record] = state.getHistory();

    expect(Object.isFrozen(record)).toBe(true);
    expect(Object.isFrozen(StateChangeRecordSchema.parse(validRecord))).toBe(true);
  });

  it('rejects an unknown operation, a bad version, an empty key, a non-boolean flag or a missing changedBy', () => {
    const invalid: Record<string, unknown>[] = [
      { operation: 'merge' },
      { version: -1 },
      { version: 1.5 },
      { key: '' },
      { existedBefore: 'yes' },
      { changedBy: undefined },
    ];

    expect(StateChangeRecordSchema.safeParse(validRecord).success).toBe(true);
    for (const patch of invalid) {
      expect(StateChangeRecordSchema.safeParse({ ...validRecord, ...patch }).success, JSON.stringify(patch)).toBe(false);
    }
    expect(ChangeOperationSchema.safeParse('clear').success).toBe(true);
  });
});

describe('specialized state models (reference: TestSpecializedStates)', () => {
  it('AgentCoordinationStateSchema fills in its defaults', () => {
    expect(AgentCoordinationStateSchema.parse({ sessionId: 'session-123', agentCount: 3 })).toEqual({
      sessionId: 'session-123',
      agentCount: 3,
      completedAgents: [],
      sharedContext: {},
      generatedFiles: [],
      currentPhase: 'initialization',
    });
  });

  it('AgentCoordinationStateSchema requires a session id and a non-negative integer agent count', () => {
    expect(AgentCoordinationStateSchema.safeParse({ agentCount: 1 }).success).toBe(false);
    expect(AgentCoordinationStateSchema.safeParse({ sessionId: 's', agentCount: -1 }).success).toBe(false);
    expect(AgentCoordinationStateSchema.safeParse({ sessionId: 's', agentCount: 1.5 }).success).toBe(false);
    expect(AgentCoordinationStateSchema.safeParse({ sessionId: 's', agentCount: 1, completedAgents: [1] }).success).toBe(false);
  });

  it('CodeGenerationStateSchema fills in its defaults', () => {
    expect(CodeGenerationStateSchema.parse({ workflowId: 'wf-1' })).toEqual({
      workflowId: 'wf-1',
      contractsParsed: {},
      generatedModels: {},
      generatedValidators: {},
      generatedTests: {},
      typeRegistry: {},
      importStatements: [],
      qualityMetrics: {},
    });
  });

  it('CodeGenerationStateSchema checks its value types', () => {
    expect(CodeGenerationStateSchema.safeParse({}).success).toBe(false);
    expect(CodeGenerationStateSchema.safeParse({ workflowId: 'wf', qualityMetrics: { coverage: 'high' } }).success).toBe(false);
    expect(CodeGenerationStateSchema.safeParse({ workflowId: 'wf', generatedModels: { User: 42 } }).success).toBe(false);
    expect(CodeGenerationStateSchema.safeParse({ workflowId: 'wf', qualityMetrics: { coverage: 0.97 } }).success).toBe(true);
  });

  it('defaults are fresh objects on every parse', () => {
    const first = AgentCoordinationStateSchema.parse({ sessionId: 'a', agentCount: 1 });
    const second = AgentCoordinationStateSchema.parse({ sessionId: 'b', agentCount: 1 });

    first.completedAgents.push('agent-1');

    expect(second.completedAgents).toEqual([]);
  });

  it('a parsed coordination state works as the initial state of a shared state', async () => {
    const initial = AgentCoordinationStateSchema.parse({ sessionId: 'session-123', agentCount: 2 });
    const state = createThreadSafeState({ initialState: initial });

    await state.set('currentPhase', 'model_generation', { changedBy: 'agent-1' });
    await state.modify(
      'generatedFiles',
      (files) => {
        files.push('models/user.ts');
      },
      { default: [] },
    );

    expect(state.get('sessionId')).toBe('session-123');
    expect(state.get('currentPhase')).toBe('model_generation');
    expect(state.get('generatedFiles')).toEqual(['models/user.ts']);
    expect(state.getVersion()).toBe(2);
  });
});
