import { parentPort, workerData } from 'node:worker_threads';
import { StateClient } from '../client/stateClient.ts';
import { ThreadSafeStateError } from '../errors.ts';
import { WorkerPortTransport } from './workerPortTransport.ts';

/** What a worker agent's work gets: the state across the MessagePort, and its id. */
export interface WorkerAgentContext {
  readonly state: StateClient;
  readonly agentId: string;
}

/**
 * The body of a worker agent script: runs `work` with a state client whose
 * commands cross the MessagePort (the commands of one tick in one message,
 * validated by the state actor), then reports the output, or the error, to
 * the agent actor.
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
  const transport = new WorkerPortTransport(port);
  const client = new StateClient(transport, {
    agentId: input.agentId,
    ...(input.replyTimeoutMs === undefined ? {} : { replyTimeoutMs: input.replyTimeoutMs }),
  });
  transport.attach(client);
  work({ state: client, agentId: input.agentId }, input).then(
    (output) => transport.end({ kind: 'done', output }),
    (error: unknown) => {
      const payload =
        error instanceof ThreadSafeStateError
          ? error.toPayload()
          : { name: error instanceof Error ? error.name : 'Error', message: String(error instanceof Error ? error.message : error) };
      transport.end({ kind: 'failed', error: payload });
    },
  );
}
