import type { ConcordInspector } from './ambient.ts';
import { Recorder } from './recorder.ts';
import type { Recording } from './recording.ts';
import { startInspectorServer } from './server.ts';
import { followState } from './stateTimeline.ts';
import { createXStateSource } from './xstateSource.ts';

/** Options of `createLocalInspector`. */
export interface LocalInspectorOptions {
  /** The port on 127.0.0.1; 0 lets the system choose a free one. @default 0 */
  port?: number;
  /** Milliseconds since the epoch, stamped on each entry. @default Date.now */
  clock?: () => number;
}

/** A running local inspector: its page, the inspector to hand to Concord, the recording. */
export interface LocalInspector {
  /** The page, `http://127.0.0.1:PORT/`. */
  readonly url: string;
  /** Where `createWebSocketInspector({ url })` from @statelyai/inspect sends: `ws://127.0.0.1:PORT/`. */
  readonly webSocketUrl: string;
  /** For `createThreadSafeState({ inspect })`, `runPipeline({ inspect })` or `setAmbientInspector`. */
  readonly inspector: ConcordInspector;
  /** The inspection stream so far. */
  recording(): Recording;
  /** Writes the recording as JSON, to open later with the page's Load. */
  save(path: string): Promise<void>;
  /** Stops following states and closes the server and its connections. */
  close(): Promise<void>;
}

/**
 * Starts the local inspector: a page on 127.0.0.1 showing, live, the actors
 * and the state each machine is in, the events between them, and each
 * attached state's version timeline with its change records and snapshots.
 *
 * @example
 * const local = await createLocalInspector();
 * const state = createThreadSafeState({ inspect: local.inspector });
 * console.log(`open ${local.url}`);
 */
export async function createLocalInspector(options: LocalInspectorOptions = {}): Promise<LocalInspector> {
  const port = options.port ?? 0;
  if (!(Number.isInteger(port) && port >= 0 && port <= 65_535)) {
    throw new RangeError(`port must be an integer from 0 (choose one) to 65535, received ${String(port)}`);
  }
  const recorder = new Recorder(options.clock);
  const server = await startInspectorServer(recorder, port);
  // A state is handed over by its constructor and again by each pipeline run on it, and a replicated state shares its replica's actor: followed once per actor.
  const attached = new WeakSet<object>();
  // Only the states still running: a stopped one is let go, not kept alive until close().
  const following = new Set<() => void>();
  const inspector: ConcordInspector = {
    inspect: createXStateSource(recorder),
    attachState: (state) => {
      if (attached.has(state.actor)) return;
      attached.add(state.actor);
      const unfollow = followState(recorder, state);
      // eslint-disable-next-line prefer-const -- stop() reads it, and may run before it is assigned
      let subscription: { unsubscribe(): void } | undefined;
      const stop = () => {
        if (!following.delete(stop)) return;
        unfollow();
        subscription?.unsubscribe();
      };
      following.add(stop);
      // An actor already stopped completes the subscription at once, before it is assigned.
      subscription = state.actor.subscribe({ complete: stop, error: stop });
    },
  };
  return {
    url: server.url,
    webSocketUrl: server.url.replace(/^http/, 'ws'),
    inspector,
    recording: () => recorder.recording(),
    save: (path) => recorder.save(path),
    close: async () => {
      for (const stop of [...following]) stop();
      await server.close();
    },
  };
}
