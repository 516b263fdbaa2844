import { Worker } from 'node:worker_threads';
import type { AnyActorRef, PromiseActorLogic } from 'xstate';
import { watchCommits } from '../src/client/inProcess.ts';
import { checkedSetOf } from '../src/commands/checkedCommand.ts';
import { sendFrom } from '../src/xstateInternals.ts';
import { errorFromPayload, WorkerAgentError } from '../src/errors.ts';
import { ReplyBatch } from '../src/workers/replyBatch.ts';
import { readFromWorker } from '../src/workers/workerMessages.ts';
import type { AgentInput } from './fromAgent.ts';
import { fromReplyingPromise } from './fromReplyingPromise.ts';

const typescriptEntry = new URL('../src/workers/typescriptEntry.mjs', import.meta.url);

/** A command from the port, answered to `replyTo`: a structured clone this thread alone holds, so it is addressed in place, not copied. */
function addressed(command: unknown, replyTo: AnyActorRef): object {
  if (typeof command !== 'object' || command === null) return { invalid: command, replyTo };
  (command as { replyTo?: AnyActorRef }).replyTo = replyTo;
  return command;
}

/**
 * Agent logic that runs `script` (a module calling `runWorkerAgent`) on a
 * worker thread. The worker reaches the state actor through its MessagePort:
 * the commands of one tick arrive in one message and go in, in order, with
 * this actor as `replyTo` (a well-formed `set` checked here and sent as the
 * facade sends its own, which the actor does not parse again; any other
 * command parsed by the actor); their replies, and change notices while the
 * worker watches, go back in one message per tick. The actor resolves with
 * the worker's output and rejects when the worker fails, crashes or exits
 * early; each command it sent was applied whole or not at all.
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
    const outbox = new ReplyBatch((message) => worker.postMessage(message));
    let settled = false;
    onReply((reply) => settled || outbox.reply(reply));
    // Change notices only while the worker has a watcher (a waitFor): every other commit costs it nothing.
    let unwatch: (() => void) | null = null;
    const watch = (watching: boolean) => {
      if (watching) unwatch ??= watchCommits(stateActor, (version) => outbox.changed(version));
      else if (unwatch !== null) {
        unwatch();
        unwatch = null;
      }
    };
    return new Promise<TOutput>((resolve, reject) => {
      const settle = (finish: () => void) => {
        if (settled) return;
        settled = true;
        watch(false);
        outbox.close();
        // Whatever the worker still has queued must not reach the state: the agent is over.
        void worker.terminate();
        finish();
      };
      worker.on('message', (raw: unknown) => {
        if (settled) return;
        const message = readFromWorker(raw);
        if (message === null) return settle(() => reject(new WorkerAgentError(`agent ${input.agentId} sent a message that is not part of the protocol`)));
        if (message.kind === 'commands') {
          watch(message.watching);
          for (const command of message.commands) {
            // Stopping the agent (a command's subscriber may) leaves the rest of the batch unsent.
            if (settled) return;
            // Each command is checked once: a set here, when it is well formed; anything else by the actor.
            sendFrom(self, stateActor, checkedSetOf(command, self) ?? addressed(command, self));
          }
        } else if (message.kind === 'done') settle(() => resolve(message.output as TOutput));
        else settle(() => reject(errorFromPayload(message.error)));
      });
      worker.on('error', (error) => settle(() => reject(error)));
      worker.on('exit', (code) => settle(() => reject(new WorkerAgentError(`agent ${input.agentId}: its worker exited (code ${code}) before finishing`))));
      signal.addEventListener('abort', () => settle(() => reject(signal.reason as unknown)), { once: true });
    });
  });
}
