import { CodeGenerationStateSchema, createThreadSafeState, StateValidationError } from 'concord-state';

// With a schema, the state's shape is inferred from it and every write is validated against it.
const state = createThreadSafeState({
  schema: CodeGenerationStateSchema,
  initialState: CodeGenerationStateSchema.parse({ workflowId: 'wf-1' }),
});

await state.modify('generatedModels', (models) => void (models.User = 'models/user.ts'), { default: {} });
console.log(state.get('generatedModels')); // { User: 'models/user.ts' }

try {
  // @ts-expect-error qualityMetrics holds numbers: the typecheck refuses this, and so does the state.
  await state.set('qualityMetrics', { coverage: 'high' });
} catch (error) {
  if (!(error instanceof StateValidationError)) throw error;
  console.log(error.key, error.issues); // qualityMetrics [ { path: [ 'coverage' ], message: '...' } ]
}
state.stop();
