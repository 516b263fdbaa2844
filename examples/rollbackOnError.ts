/** Rollback on error (the reference's example 3): save the version, try, roll back when the step fails. */
import { createThreadSafeState } from 'concord-state';

const state = createThreadSafeState<{ config: { retries: number }; status: string }>({
  initialState: { config: { retries: 1 }, status: 'ready' },
});

const safeVersion = state.getVersion();
try {
  await state.set('config', { retries: 5 }, { changedBy: 'tuner' });
  await state.set('status', 'deploying', { changedBy: 'tuner' });
  throw new Error('deployment failed');
} catch (error) {
  const restored = await state.rollback(safeVersion, { changedBy: 'tuner' });
  console.log(`${(error as Error).message}: version ${restored} holds the content of version ${safeVersion}`);
}
console.log('config:', state.get('config'), 'status:', state.get('status'));
for (const record of state.getHistory({ limit: 2 })) {
  console.log(`  v${record.version} ${record.operation} ${record.key}: ${JSON.stringify(record.oldValue)} -> ${JSON.stringify(record.newValue)}`);
}
state.stop();
