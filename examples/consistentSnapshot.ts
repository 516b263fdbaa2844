/** A consistent view (the reference's example 2): a snapshot does not change while others write. */
import { createThreadSafeState } from 'concord-state';

const state = createThreadSafeState<{ generatedFiles: string[] }>({ initialState: { generatedFiles: ['models/user.ts'] } });

const view = state.snapshot();
await state.modify('generatedFiles', (files) => void files.push('validators/user.ts'), { default: [], changedBy: 'validator-gen' });

console.log('the snapshot still lists', view.generatedFiles);
console.log('the state now lists', state.get('generatedFiles'));
console.log('and version 0 can still be read:', state.snapshotAt(0).generatedFiles);
console.log('the snapshot is frozen:', Object.isFrozen(view) && Object.isFrozen(view.generatedFiles));
state.stop();
