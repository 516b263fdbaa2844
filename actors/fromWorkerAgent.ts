import { Worker } from 'node:worker_threads';
import type { AnyActorRef, PromiseActorLogic } from 'xstate';
import { watchCommits } from '../src/client/inProcess.ts';
import { sendFrom } from '../src/xstateInternals.ts';
import { errorFromPayload, WorkerAgentError } from '../src/errors.ts';
import { FromWorkerSchema, type ToWorker } from '../src/workers/workerMessages.ts';
import type { AgentInput } from './fromAgent.ts';
import { fromReplyingPromise } from './fromReplyingPromise.ts';

const typescriptEntry = new URL('../src/workers/typescriptEntry.mjs', import.meta.url);

/**
 * Agent logic that runs `script` (a module calling `runWorkerAgent`) on a
 * worker thread. The worker reaches the state actor through its MessagePort:
 * commands go in with this actor as `replyTo`, replies and change
 * notices go back as structured clones. The actor resolves with the worker's
 * output and rejects when the worker fails, crashes or exits early; each
 * command it sent was applied whole or not at all.
 *
 * A `.ts`, `.mts` or `.cts` script is compiled on load by tsx, which must then be installed.
 */
export function fromWorkerAgent<TOutput, TInput extends AgentInput>(script: URL): PromiseActorLogic<TOutput, TInput> {
  return fromReplyingPromise<TOutput, TInput>(({ input, system, self, signal, onReply }) => {
    const stateActor = input.state ?? (system.get('state') as AnyActorRef | undefined);
    if (stateActor === undefined)
      return Promise.reject(new WorkerAgentError(`agent ${input.agentId}: no state actor; pass input.state or create the agent in the state's system`));
    const { state: _ref, ...workerInput } = input;
    const typescript = /\.[cm]?ts$/.test(script.pathname);
    const worker = new Worker(typescript ? typescriptEntry : script, { workerData: { script: script.href, input: workerInput } });
    const post = (message: ToWorker) => worker.postMessage(message);
    let settled = false;
    onReply((reply) => settled || post({ kind: 'reply', reply }));
    const unwatch = watchCommits(stateActor, (version) => post({ kind: 'changed', version }));
    return new Promise<TOutput>((resolve, reject) => {
      const settle = (finish: () => void) => {
        if (settled) return;
        settled = true;
        unwatch();
        // Whatever the worker still has queued must not reach the state: the agent is over.
        void worker.terminate();
        finish();
      };
      worker.on('message', (raw: unknown) => {
        if (settled) return;
        const message = FromWorkerSchema.safeParse(raw);
        if (!message.success) return settle(() => reject(new WorkerAgentError(`agent ${input.agentId} sent a message that is not part of the protocol`)));
        const data = message.data;
        if (data.kind === 'command') {
          const command = typeof data.command === 'object' && data.command !== null ? data.command : { invalid: data.command };
          sendFrom(self, stateActor, { ...command, replyTo: self });
        } else if (data.kind === 'done') settle(() => resolve(data.output as TOutput));
        else settle(() => reject(errorFromPayload(data.error)));
      });
      worker.on('error', (error) => settle(() => reject(error)));
      worker.on('exit', (code) => settle(() => reject(new WorkerAgentError(`agent ${input.agentId}: its worker exited (code ${code}) before finishing`))));
      signal.addEventListener('abort', () => settle(() => reject(signal.reason as unknown)), { once: true });
    });
  });
}
