/** What one WebSocket inspector may send to the local inspector: past a limit its connection ends, and the server goes on. */
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createLocalInspector } from 'concord-state/inspect';
import { Recorder } from '../../src/inspect/recorder.ts';
import { startInspectorServer, type ConnectionLimits, type InspectorServer } from '../../src/inspect/server.ts';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function serverWith(limits: ConnectionLimits): Promise<string> {
  const server: InspectorServer = await startInspectorServer(new Recorder(), 0, limits);
  closers.push(() => server.close());
  return server.url.replace(/^http/, 'ws');
}

async function open(url: string): Promise<WebSocket> {
  const socket = new WebSocket(url);
  closers.push(async () => void socket.terminate());
  await new Promise<void>((resolve, reject) => socket.once('open', () => resolve()).once('error', reject));
  return socket;
}

/** Resolves once the server has handled every message sent before (it answers a ping after the frames ahead of it), or closed. */
const roundTrip = (socket: WebSocket) =>
  new Promise<void>((resolve) => {
    socket.once('pong', () => resolve()).once('close', () => resolve());
    socket.ping();
  });

const closed = (socket: WebSocket) =>
  new Promise<{ code: number; reason: string }>((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));

describe('the local inspector limits each WebSocket connection', () => {
  it('closes a connection past its message count with 1008, and not before', async () => {
    const url = await serverWith({ maxMessages: 3, maxCharacters: 1_000_000 });
    const socket = await open(url);
    for (let i = 0; i < 3; i++) socket.send('{}');
    await roundTrip(socket);
    expect(socket.readyState).toBe(WebSocket.OPEN);
    const ending = closed(socket);
    socket.send('{}');
    expect(await ending).toEqual({ code: 1008, reason: 'inspection limit reached' });
    // Another inspector still connects.
    const next = await open(url);
    expect(next.readyState).toBe(WebSocket.OPEN);
  });

  it('closes a connection past its character count with 1008, and not before', async () => {
    const url = await serverWith({ maxMessages: 1_000, maxCharacters: 100 });
    const socket = await open(url);
    socket.send(JSON.stringify({ note: 'x'.repeat(50) }));
    await roundTrip(socket);
    expect(socket.readyState).toBe(WebSocket.OPEN);
    const ending = closed(socket);
    socket.send(JSON.stringify({ note: 'x'.repeat(50) }));
    expect((await ending).code).toBe(1008);
  });

  it('ends a connection whose one message is over 16 MB (1009), and takes the next one', { timeout: 30_000 }, async () => {
    const local = await createLocalInspector();
    closers.push(() => local.close());
    const socket = await open(local.webSocketUrl);
    const ending = closed(socket);
    socket.send('x'.repeat(16 * 1024 * 1024 + 1));
    expect((await ending).code).toBe(1009);
    const next = await open(local.webSocketUrl);
    expect(next.readyState).toBe(WebSocket.OPEN);
  });
});
