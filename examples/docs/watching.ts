import { createThreadSafeState, StateTimeoutError } from 'concord-state';

const state = createThreadSafeState<{ phase: string; files: string[] }>({ initialState: { phase: 'parse' } });

const unsubscribe = state.subscribe(({ version, records }) => {
  for (const record of records) console.log(`v${version} ${record.key}: ${JSON.stringify(record.oldValue)} -> ${JSON.stringify(record.newValue)}`);
});

// Resolves with the snapshot of the first version that satisfies it: checked now, then after each write.
const ready = state.waitFor((s) => (s.files?.length ?? 0) >= 2);
await state.modify('files', (files) => void files.push('user.ts'), { default: [] }); // v1 files: undefined -> ["user.ts"]
await state.modify('files', (files) => void files.push('order.ts'), { default: [] }); // v2 files: ["user.ts"] -> ["user.ts","order.ts"]
console.log((await ready).files); // [ 'user.ts', 'order.ts' ]

await state.waitFor((s) => s.phase === 'parse').then((s) => console.log('already', s.phase)); // already parse: resolves at once
await state
  .waitFor((s) => s.phase === 'done', { timeout: 50 })
  .catch((error: unknown) => {
    if (error instanceof StateTimeoutError) console.log(error.operation, error.timeoutMs); // waitFor 50
  });
const aborted = new AbortController();
const abandoned = state.waitFor((s) => s.phase === 'done', { signal: aborted.signal });
aborted.abort(new Error('no longer needed'));
await abandoned.catch((error: unknown) => console.log((error as Error).message)); // no longer needed

unsubscribe();
state.stop();
