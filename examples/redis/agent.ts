/**
 * One agent in a process of its own: claims tasks from the shared `todo`
 * list until none are left, and writes each result, all under its own
 * `changedBy`. Usage: agent.ts <url> <name> <agentId>
 */
import { connectThreadSafeState } from 'concord-state/redis';
import type { Team } from './team.ts';

const [url = '', name = '', agentId = ''] = process.argv.slice(2);
const state = await connectThreadSafeState<Team>({ url, name });
for (;;) {
  let claimed: string | undefined;
  // The recipe may run again after another process claimed first: it only reads its draft, so running it twice is harmless.
  await state.modify(
    'todo',
    (todo) => {
      claimed = todo.shift();
    },
    { default: [], changedBy: agentId },
  );
  if (claimed === undefined) break;
  // The work itself: a model call, a build step.
  await new Promise((resolve) => setTimeout(resolve, 20));
  await state.set(`result:${claimed}`, `${claimed.toUpperCase()} (by ${agentId}, pid ${process.pid})`, { changedBy: agentId });
  await state.modify('done', (done) => void done.push(claimed as string), { default: [], changedBy: agentId });
}
await state.close();
