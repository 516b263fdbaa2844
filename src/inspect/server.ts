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

/** The page loads only its own files (and its inline icon), and the browser takes each file for the type it is served as. */
const PAGE_HEADERS = {
  'cache-control': 'no-cache',
  'content-security-policy': "default-src 'self'; img-src 'self' data:",
  'x-content-type-options': 'nosniff',
};

/** What one WebSocket inspector may send in all, before its connection is closed (1008). */
export interface ConnectionLimits {
  readonly maxMessages: number;
  readonly maxCharacters: number;
}

/** A long run's worth, short of filling the memory the recording lives in. */
const CONNECTION_LIMITS: ConnectionLimits = { maxMessages: 500_000, maxCharacters: 512 * 1024 * 1024 };

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
export async function startInspectorServer(recorder: Recorder, port: number, limits: ConnectionLimits = CONNECTION_LIMITS): Promise<InspectorServer> {
  const files = await pageFiles();
  let allowedHosts = new Set<string>();
  let allowedOrigins = new Set<string>();
  // A page on another site can point a name at 127.0.0.1 (DNS rebinding); its requests then carry that name as Host.
  const hostAllowed = (request: IncomingMessage) => allowedHosts.has(request.headers.host ?? '');
  // Browsers always send Origin on a WebSocket upgrade and let any site open one; Node clients send none.
  const originAllowed = (request: IncomingMessage) => request.headers.origin === undefined || allowedOrigins.has(request.headers.origin);

  const server = createServer((request, response) => {
    if (!hostAllowed(request)) return void response.writeHead(403).end('Forbidden: use http://127.0.0.1\n');
    if (request.method !== 'GET' && request.method !== 'HEAD') return void response.writeHead(405).end();
    const path = pathOf(request);
    if (path === undefined) return void response.writeHead(400).end('Bad request\n');
    if (path === '/events') return streamEvents(recorder, request, response);
    if (path === '/recording.json') {
      const body = jsonOrUndefined(recorder.recording());
      if (body === undefined) return void response.writeHead(500).end('The recording is too large to send as one JSON text\n');
      response.writeHead(200, { 'content-type': 'application/json', 'content-disposition': 'attachment; filename="concord-inspection.json"' });
      return void response.end(body);
    }
    const file = files.get(path);
    if (file === undefined) return void response.writeHead(404).end('Not found\n');
    readFile(new URL(file, pageDir)).then(
      (content) => response.writeHead(200, { 'content-type': CONTENT_TYPES[file.split('.').pop() ?? ''] ?? 'text/plain', ...PAGE_HEADERS }).end(content),
      () => response.writeHead(500).end(),
    );
  });

  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  let connections = 0;
  server.on('upgrade', (request, socket, head) => {
    // Only a loopback Host, and a loopback page or no page at all (a Node app's createWebSocketInspector).
    if (!hostAllowed(request) || !originAllowed(request)) return void socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
    sockets.handleUpgrade(request, socket, head, (ws) => {
      const accept = createStatelySource(recorder, `ws:${++connections}`);
      let messages = 0;
      let characters = 0;
      // A bad frame or a message past maxPayload: that connection ends, the inspector goes on.
      ws.on('error', () => ws.terminate());
      ws.on('message', (data, isBinary) => {
        if (isBinary) return;
        // binaryType is ws's default, 'nodebuffer': a text message arrives as one Buffer.
        const text = (data as Buffer).toString('utf8');
        messages += 1;
        characters += text.length;
        // The recording stays in memory: one connection may not fill it without end (1008: policy violation).
        if (messages > limits.maxMessages || characters > limits.maxCharacters) return void ws.close(1008, 'inspection limit reached');
        try {
          accept(JSON.parse(text));
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
  // A browser leaves the port out of Host and Origin when it is the scheme's default.
  const hosts = [`${HOST}:${actualPort}`, `localhost:${actualPort}`, ...(actualPort === 80 ? [HOST, 'localhost'] : [])];
  allowedHosts = new Set(hosts);
  allowedOrigins = new Set(hosts.map((host) => `http://${host}`));

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

/** The request's path; undefined when its target is not a URL (`GET http://a:b/`), which `new URL` refuses by throwing. */
function pathOf(request: IncomingMessage): string | undefined {
  try {
    return new URL(request.url ?? '/', 'http://local').pathname;
  } catch {
    return undefined;
  }
}

/** JSON text, or undefined when it would pass the longest string the engine can make (a recording of a long run). */
function jsonOrUndefined(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}

/** The recording so far, then each new entry, in batches, until the page goes away. */
function streamEvents(recorder: Recorder, request: IncomingMessage, response: ServerResponse): void {
  // JSON.stringify writes no raw newline, so each message is one data line.
  const everything = jsonOrUndefined(recorder.recording());
  if (everything === undefined) return void response.writeHead(500).end('The recording is too large to send as one JSON text\n');
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  response.write(`event: reset\ndata: ${everything}\n\n`);
  let pending: Entry[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    timer = undefined;
    if (response.destroyed) return void (pending = []);
    const batch = jsonOrUndefined(pending);
    pending = [];
    // A batch too large to send: the page reconnects and its `reset` brings it up to date.
    if (batch === undefined) return void response.destroy();
    response.write(`event: entries\ndata: ${batch}\n\n`);
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
