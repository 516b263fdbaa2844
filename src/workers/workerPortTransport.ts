import type { MessagePort } from 'node:worker_threads';
import type { OutgoingCommand, StateClient, StateTransport } from '../client/stateClient.ts';
import { OncePerTick } from './oncePerTick.ts';
import { replyAt, REPLY_WIDTH } from './replyRows.ts';
import { cloneErrorOf, readToWorker, rowsMessage, uncloneableReply, type FromWorker } from './workerMessages.ts';

/**
 * A worker agent's side of its MessagePort, as its state client's transport.
 * The commands the client sends in one tick leave in one message, in the
 * order sent, laid out as rows, with whether the worker wants change notices; the replies and
 * notices that come back in one message are handed on in the order they
 * came. Nothing is parsed here that the client or the state actor parses.
 */
export class WorkerPortTransport implements StateTransport {
  readonly #port: MessagePort;
  #commands: OutgoingCommand[] = [];
  readonly #watchers = new Set<(version: number) => void>();
  /** What the agent's side was last told about `watching`: it sends notices only while the worker has a watcher. */
  #watchingSent = false;
  readonly #tick = new OncePerTick(() => this.#flush());
  #client: StateClient | null = null;

  constructor(port: MessagePort) {
    this.#port = port;
    port.on('message', (raw: unknown) => this.#receive(raw));
  }

  /** The client replies go to; it takes this transport when it is made, hence not a constructor argument. */
  attach(client: StateClient): void {
    this.#client = client;
  }

  send(command: OutgoingCommand): void {
    this.#commands.push(command);
    this.#tick.schedule();
  }

  watch(listener: (version: number) => void): () => void {
    this.#watchers.add(listener);
    // The watch reaches the agent's side before any command sent after it: waitFor misses no write after its first check.
    this.#tick.schedule();
    return () => {
      this.#watchers.delete(listener);
      this.#tick.schedule();
    };
  }

  /** Posts the commands still waiting, then `last`, and closes the port: nothing the worker sent is left behind its end. */
  end(last: FromWorker): void {
    this.#tick.now();
    this.#port.postMessage(last);
    this.#port.close();
  }

  #flush(): void {
    const watching = this.#watchers.size > 0;
    if (this.#commands.length === 0 && watching === this.#watchingSent) return;
    const commands = this.#commands;
    this.#commands = [];
    this.#watchingSent = watching;
    try {
      this.#port.postMessage(rowsMessage(commands, watching));
    } catch {
      // A command holds what structured clone cannot carry (a modify's recipe, a function in a value):
      // that one is refused with the DataCloneError, the others go, in order.
      const cloneable = commands.filter((command) => {
        const error = cloneErrorOf(command);
        if (error !== null) this.#client?.receive(uncloneableReply(command.requestId, error));
        return error === null;
      });
      this.#port.postMessage(rowsMessage(cloneable, watching));
    }
  }

  #receive(raw: unknown): void {
    const message = readToWorker(raw);
    const client = this.#client;
    if (message === null || client === null) return;
    for (let at = 0; at < message.replies.length; at += REPLY_WIDTH) client.receive(replyAt(message.replies, at));
    if (this.#watchers.size === 0) return;
    for (const version of message.changed) {
      if (typeof version === 'number') for (const watcher of [...this.#watchers]) watcher(version);
    }
  }
}
