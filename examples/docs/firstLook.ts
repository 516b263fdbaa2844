import { createThreadSafeState } from 'concord-state';

const state = createThreadSafeState<{ counter: number; status: string }>({
  initialState: { counter: 0 },
});

await state.set('status', 'active', { changedBy: 'agent-1' }); // resolves 1, the new version
await state.modify('counter', (n) => n + 1, { default: 0, changedBy: 'agent-2' }); // atomic; resolves 1, the new value
console.log(state.get('counter')); // 1: a copy, read synchronously
const view = state.snapshot(); // every key, deep-frozen: the same object until the next write

const finished = state.waitFor((s) => s.status === 'done', { timeout: 5_000 }); // no polling
await state.set('status', 'done', { changedBy: 'agent-1' }); // version 3 satisfies the wait
console.log((await finished).status, view.status); // done active

await state.rollback(1); // the content of version 1, as version 4
console.log(state.get('status'), state.get('counter'), state.getVersion()); // active 0 4
for (const record of state.getHistory({ limit: 3 })) {
  console.log(`v${record.version} ${record.operation} ${record.key} by ${record.changedBy}`); // newest first: who changed what
}
state.stop();
