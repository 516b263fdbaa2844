/**
 * The floor under worker agents, its worker side: the same `state.set`
 * commands as writer.worker.ts, `inFlight` at a time, in the same messages
 * and the same batching (the commands of one tick in one message, laid out
 * by the transport's own rowsMessage), each settled by the reply the main
 * thread echoes (bench/portEcho.ts). No state client, no schema: the
 * MessagePort alone.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { FromWorker, ToWorker } from 'concord-state/workers';
import { REPLY_WIDTH } from '../../src/workers/replyRows.ts';
import { rowsMessage } from '../../src/workers/workerMessages.ts';
import { inBatches } from './inBatches.ts';
import { perTick } from './perTick.ts';

const port = parentPort;
if (port === null) throw new Error('echo.worker.ts runs in a worker thread started by bench/portEcho.ts');
const { input } = workerData as { input: { agentId: string; times: number; inFlight: number } };
// Ids as a state client makes them: the agent's id, a random prefix, a counter.
const prefix = `${input.agentId}#${crypto.randomUUID()}:`;
const pending = new Map<string, () => void>();
port.on('message', ({ replies }: ToWorker) => {
  // Each reply's request id comes first in its values (see ReplyRows).
  for (let at = 0; at < replies.length; at += REPLY_WIDTH) {
    const requestId = replies[at] as string;
    pending.get(requestId)?.();
    pending.delete(requestId);
  }
});
const commands = perTick<object>((batch) => port.postMessage(rowsMessage(batch, false)));

const started = performance.timeOrigin + performance.now();
await inBatches(
  input.times,
  input.inFlight,
  (i) =>
    new Promise<void>((resolve) => {
      const requestId = prefix + i;
      pending.set(requestId, resolve);
      commands.push({ type: 'state.set', key: input.agentId, value: i, requestId, changedBy: input.agentId });
    }),
);
port.postMessage({ kind: 'done', output: { started, ended: performance.timeOrigin + performance.now() } } satisfies FromWorker);
port.close();
