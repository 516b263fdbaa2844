/**
 * The floor under worker agents, its main-thread side: worker threads
 * (workers/echo.worker.ts) send the commands a worker agent sends, laid out
 * as its transport lays them out; this thread reads them back into objects
 * as Concord's side does, and answers each at once with the message
 * Concord's side posts (the reply rows of one tick to one worker in one
 * message; no change notices, as a worker with no watcher gets none),
 * without parsing them or keeping any state.
 */
import { Worker } from 'node:worker_threads';
import type { FromWorker, ToWorker } from 'concord-state/workers';
import { fromRows } from '../src/workers/commandRows.ts';
import { perTick } from './workers/perTick.ts';

// The entry that compiles a TypeScript worker script with tsx, as fromWorkerAgent's does.
const typescriptEntry = new URL('../src/workers/typescriptEntry.mjs', import.meta.url);
const echoScript = new URL('./workers/echo.worker.ts', import.meta.url);

interface Span {
  started: number;
  ended: number;
}

/** One round: `workers` threads of `times` commands each; commands per second from the first sent to the last answered. */
export async function echoRound(workers: number, inFlight: number, times: number): Promise<number> {
  const threads = Array.from(
    { length: workers },
    (_, i) => new Worker(typescriptEntry, { workerData: { script: echoScript.href, input: { agentId: `w${i}`, times, inFlight } } }),
  );
  let version = 0;
  const spans = await Promise.all(
    threads.map(
      (thread) =>
        new Promise<Span>((resolve, reject) => {
          const replies = perTick<unknown>((rows) => thread.postMessage({ kind: 'batch', replies: rows, changed: [] } satisfies ToWorker));
          thread.on('message', (message: FromWorker) => {
            if (message.kind === 'rows') {
              // Back into objects, as Concord's side reads them.
              for (const command of fromRows(message.shapes, message.rows) ?? []) {
                const { requestId } = command as { requestId: string };
                // A reply's values, as Concord's side lays them out (see ReplyRows).
                replies.push(requestId, true, ++version);
              }
            } else if (message.kind === 'done') resolve(message.output as Span);
            else if (message.kind === 'failed') reject(new Error(message.error.message));
          });
          thread.on('error', reject);
        }),
    ),
  );
  await Promise.all(threads.map((thread) => thread.terminate()));
  const elapsed = Math.max(...spans.map((span) => span.ended)) - Math.min(...spans.map((span) => span.started));
  return ((workers * times) / elapsed) * 1000;
}
