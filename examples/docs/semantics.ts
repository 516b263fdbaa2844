import { createThreadSafeState } from 'concord-state';

const state = createThreadSafeState<{ owner: string | null; files: string[] }>();

await state.set('owner', null); // v1: a stored null is a value, not an absent key
console.log(await state.delete('files'), state.getVersion()); // false 1: a no-op makes no version
await state.update({ owner: 'model-gen', files: ['user.ts'] }); // v2: two keys, one version, two records

const v2 = state.snapshot();
await state.modify('files', (files) => void files.push('order.ts'), { default: [] }); // v3
console.log(v2.files, Object.isFrozen(v2.files)); // [ 'user.ts' ] true: a snapshot never changes

console.log(await state.rollback(1)); // 4: a new version holding the content of version 1
console.log(state.has('owner'), state.get('owner'), state.has('files')); // true null false
console.log(state.getHistory({ limit: 2 }).map((r) => `${r.key}: ${r.existedBefore} -> ${r.existsAfter}`)); // [ 'owner: true -> true', 'files: true -> false' ]
console.log(state.snapshotAt(3).files); // [ 'user.ts', 'order.ts' ]: time travel inside the history window
state.stop();
