import { readdir, readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { Recorder } from './recorder.ts';
import type { Entry } from './recording.ts';
import { createStatelySource } from './statelySource.ts';

/** Loopback only: the page shows the run's data, which is nobody else's business. */
export const HOST = '127.0.0.1';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  html: 'text/html; charset=utf-8',
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
};

/** Live entries are sent in batches: a run makes thousands of entries a second, a page wants a few messages. */
const BATCH_MS = 50;

/** A WebSocket inspector's message may carry a whole snapshot; past this the connection is closed. */
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

export interface InspectorServer {
  readonly url: string;
  close(): Promise<void>;
}

const pageDir = new URL('./page/', import.meta.url);

/** The page's files, by the path they are served at; only these, so no other file on disk can be reached. */
async function pageFiles(): Promise<ReadonlyMap<string, string>> {
  const names = (await readdir(pageDir)).filter((name) => /\.(html|css|js)$/.test(name));
  return new Map([['/', 'index.html'], ...names.map((name): [string, string] => [`/page/${name}`, name])]);
}

/**
 * The local inspector's server, on 127.0.0.1 only: the page and its files,
 * the recording as a live feed of Server-Sent Events (`/events`: a `reset`
 * with everything so far, then `entries` batches) and as a download
 * (`/recording.json`), and, on the same port, a WebSocket endpoint for
 * @statelyai/inspect's `createWebSocketInspector`.
 */
export async function startInspectorServer(recorder: Recorder, port: number): Promise<InspectorServer> {
  const files = await pageFiles();
  let allowedHosts = new Set<string>();
  // A page on another site can point a name at 127.0.0.1 (DNS rebinding); its requests then carry that name as Host.
  const hostAllowed = (request: IncomingMessage) => allowedHosts.has(request.headers.host ?? '');

  const server = createServer((request, response) => {
    if (!hostAllowed(request)) return void response.writeHead(403).end('Forbidden: use http://127.0.0.1\n');
    if (request.method !== 'GET' && request.method !== 'HEAD') return void response.writeHead(405).end();
    const path = new URL(request.url ?? '/', 'http://local').pathname;
    if (path === '/events') return streamEvents(recorder, request, response);
    if (path === '/recording.json') {
      response.writeHead(200, { 'content-type': 'application/json', 'content-disposition': 'attachment; filename="concord-inspection.json"' });
      return void response.end(JSON.stringify(recorder.recording()));
    }
    const file = files.get(path);
    if (file === undefined) return void response.writeHead(404).end('Not found\n');
    readFile(new URL(file, pageDir)).then(
      (content) => response.writeHead(200, { 'content-type': CONTENT_TYPES[file.split('.').pop() ?? ''] ?? 'text/plain', 'cache-control': 'no-cache' }).end(content),
      () => response.writeHead(500).end(),
    );
  });

  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  let connections = 0;
  server.on('upgrade', (request, socket, head) => {
    // Any origin may send (an app in a browser tab on another port); only a loopback Host is served.
    if (!hostAllowed(request)) return void socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
    sockets.handleUpgrade(request, socket, head, (ws) => {
      const accept = createStatelySource(recorder, `ws:${++connections}`);
      // A bad frame or a message past maxPayload: that connection ends, the inspector goes on.
      ws.on('error', () => ws.terminate());
      ws.on('message', (data, isBinary) => {
        if (isBinary) return;
        try {
          accept(JSON.parse(data.toString()));
        } catch {
          // Not JSON: not one of ours; the connection stays open for the next message.
        }
      });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => resolve());
  });
  const actualPort = (server.address() as AddressInfo).port;
  allowedHosts = new Set([`${HOST}:${actualPort}`, `localhost:${actualPort}`]);

  return {
    url: `http://${HOST}:${actualPort}/`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const ws of sockets.clients) ws.terminate();
        sockets.close();
        server.close(() => resolve());
        // Open event streams never end on their own.
        server.closeAllConnections();
      }),
  };
}

/** The recording so far, then each new entry, in batches, until the page goes away. */
function streamEvents(recorder: Recorder, request: IncomingMessage, response: ServerResponse): void {
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  // JSON.stringify writes no raw newline, so each message is one data line.
  response.write(`event: reset\ndata: ${JSON.stringify(recorder.recording())}\n\n`);
  let pending: Entry[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    timer = undefined;
    if (response.destroyed) return;
    response.write(`event: entries\ndata: ${JSON.stringify(pending)}\n\n`);
    pending = [];
  };
  const unsubscribe = recorder.subscribe((entry) => {
    pending.push(entry);
    timer ??= setTimeout(flush, BATCH_MS).unref();
  });
  request.on('close', () => {
    unsubscribe();
    clearTimeout(timer);
  });
}
