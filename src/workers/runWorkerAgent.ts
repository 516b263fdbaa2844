import { parentPort, workerData } from 'node:worker_threads';
import { StateClient } from '../client/stateClient.ts';
import { ThreadSafeStateError } from '../errors.ts';
import { ToWorkerSchema, type FromWorker } from './workerMessages.ts';

/** What a worker agent's work gets: the state across the MessagePort, and its id. */
export interface WorkerAgentContext {
  readonly state: StateClient;
  readonly agentId: string;
}

/**
 * The body of a worker agent script: runs `work` with a state client whose
 * commands cross the MessagePort (structured clones, validated by the state
 * actor), then reports the output, or the error, to the agent actor.
 *
 * @example
 * // counter.worker.ts
 * runWorkerAgent(async ({ state }, input: { times: number }) => { ... });
 */
export function runWorkerAgent<TInput extends { agentId: string; replyTimeoutMs?: number }, TOutput>(
  work: (ctx: WorkerAgentContext, input: TInput) => Promise<TOutput>,
): void {
  const port = parentPort;
  if (port === null) throw new Error('runWorkerAgent runs inside a worker thread started by fromWorkerAgent');
  const { input } = workerData as { input: TInput };
  const post = (message: FromWorker) => port.postMessage(message);
  const watchers = new Set<(version: number) => void>();
  const client = new StateClient(
    {
      send: (command) => post({ kind: 'command', command }),
      watch: (listener) => {
        watchers.add(listener);
        return () => watchers.delete(listener);
      },
    },
    { agentId: input.agentId, ...(input.replyTimeoutMs === undefined ? {} : { replyTimeoutMs: input.replyTimeoutMs }) },
  );
  port.on('message', (raw: unknown) => {
    const message = ToWorkerSchema.safeParse(raw);
    if (!message.success) return;
    if (message.data.kind === 'reply') client.receive(message.data.reply);
    else for (const watcher of [...watchers]) watcher(message.data.version);
  });
  work({ state: client, agentId: input.agentId }, input).then(
    (output) => {
      post({ kind: 'done', output });
      port.close();
    },
    (error: unknown) => {
      const payload =
        error instanceof ThreadSafeStateError
          ? error.toPayload()
          : { name: error instanceof Error ? error.name : 'Error', message: String(error instanceof Error ? error.message : error) };
      post({ kind: 'failed', error: payload });
      port.close();
    },
  );
}
