/** An XState app that is not Concord, inspected with @statelyai/inspect's own WebSocket inspector pointed at the local inspector. */
import { request } from 'node:http';
import { connect as connectSocket } from 'node:net';
import { createWebSocketInspector } from '@statelyai/inspect';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { createActor, fromPromise, setup, waitFor } from 'xstate';
import { createLocalInspector, type LocalInspector } from 'concord-state/inspect';
import { actorName, modelFromRecording } from '../../src/inspect/page/model.js';

const toggle = setup({ actors: { fetcher: fromPromise(async () => 'fetched') } }).createMachine({
  id: 'toggle',
  initial: 'inactive',
  states: {
    inactive: { on: { toggle: 'active' } },
    active: { invoke: { src: 'fetcher', id: 'fetcher', onDone: 'loaded' } },
    loaded: { on: { toggle: 'inactive' } },
  },
});

let local: LocalInspector | undefined;
const cleanups: (() => void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  await local?.close();
  local = undefined;
});

/** Runs the toggle app with a WebSocket inspector sending to the local inspector; resolves when the app is back to inactive. */
async function runApp(url: string) {
  const inspector = createWebSocketInspector({ url });
  cleanups.push(() => inspector.stop());
  const app = createActor(toggle, { inspect: inspector.inspect }).start();
  app.send({ type: 'toggle' });
  await waitFor(app, (snapshot) => snapshot.matches('loaded'));
  app.send({ type: 'toggle' });
  return app;
}

/** Resolves when the socket is open; rejects with the server's refusal. */
const opened = (socket: WebSocket) => new Promise<void>((resolve, reject) => socket.once('open', () => resolve()).once('error', reject));

const machineOf = (id: string) => [...modelFromRecording(local?.recording()).actors.values()].find((actor) => actor.machineId === id);

describe('createWebSocketInspector against the local inspector', () => {
  it('records the app: its actors, the state its machine is in, and the events between them', { timeout: 30_000 }, async () => {
    local = await createLocalInspector();
    await runApp(local.webSocketUrl);
    // The inspector sends on its own schedule (idle callbacks, then the socket): wait until the last state has arrived.
    await vi.waitFor(() => expect(machineOf('toggle')?.transitions.map((step) => step.value)).toEqual(['inactive', 'active', 'loaded', 'inactive']), {
      timeout: 10_000,
    });

    const model = modelFromRecording(local.recording());
    const app = machineOf('toggle');
    expect(app).toMatchObject({ origin: 'ws:1', logic: 'machine', status: 'active', value: 'inactive' });
    expect(app?.sessionId).toMatch(/^ws:1\//);
    const child = [...model.actors.values()].find((actor) => actor.parentId === app?.sessionId);
    expect(child && actorName(model, child.sessionId)).toBe('fetcher');
    expect(child?.status).toBe('done');

    const story = model.events.map(
      (event) => `${event.sourceId === null ? 'outside' : actorName(model, event.sourceId)} -> ${actorName(model, event.targetId)}: ${event.type}`,
    );
    expect(story).toEqual(expect.arrayContaining(['outside -> toggle: toggle', 'fetcher -> toggle: xstate.done.actor.fetcher']));
    expect(story.indexOf('fetcher -> toggle: xstate.done.actor.fetcher')).toBeGreaterThan(story.indexOf('outside -> toggle: toggle'));
  });

  it(
    'keeps two apps apart, though both number their actors from x:0, skips messages that are not inspection events, and drops a connection that floods it',
    { timeout: 30_000 },
    async () => {
      local = await createLocalInspector();
      const raw = new WebSocket(local.webSocketUrl);
      cleanups.push(() => raw.close());
      await new Promise((resolve, reject) => raw.once('open', resolve).once('error', reject));
      raw.send('not json');
      raw.send(JSON.stringify({ type: 'hello' }));
      raw.send(JSON.stringify({ type: '@xstate.event', sessionId: 'x:0', event: { type: 'ping' }, sourceId: 'x:9' }));
      raw.send(JSON.stringify({ type: '@xstate.actor', sessionId: 'x:9', name: 'pinger', definition: '{not json' }));
      const flood = new WebSocket(local.webSocketUrl);
      cleanups.push(() => flood.terminate());
      await new Promise((resolve, reject) => flood.once('open', resolve).once('error', reject));
      const floodClosed = new Promise((resolve) => flood.once('close', resolve));
      flood.send('x'.repeat(17 * 1024 * 1024));
      // Past the size limit: that connection is closed (1009, message too big) and the server goes on.
      expect(await floodClosed).toBe(1009);
      await runApp(local.webSocketUrl);

      // The raw messages and the app's arrive on their own connections, in no order between them: wait for all of them.
      await vi.waitFor(
        () => {
          expect(machineOf('toggle')?.value).toBe('inactive');
          const model = modelFromRecording(local?.recording());
          expect(model.events.find((event) => event.type === 'ping')).toMatchObject({ sourceId: 'ws:1/x:9', targetId: 'ws:1/x:0' });
          expect(model.actors.get('ws:1/x:9')).toMatchObject({ id: 'pinger', logic: 'actor', origin: 'ws:1' });
        },
        { timeout: 10_000 },
      );
      expect(machineOf('toggle')?.sessionId).toMatch(/^ws:3\//);
    },
  );

  it('serves only requests addressed to 127.0.0.1 or localhost (a rebound DNS name is refused)', async () => {
    local = await createLocalInspector();
    const { port } = new URL(local.url);
    const statusFor = (host: string) =>
      new Promise<number | undefined>((resolve, reject) => {
        request({ host: '127.0.0.1', port, path: '/recording.json', headers: { host } }, (response) => {
          response.resume();
          resolve(response.statusCode);
        })
          .on('error', reject)
          .end();
      });
    expect(await statusFor(`127.0.0.1:${port}`)).toBe(200);
    expect(await statusFor(`localhost:${port}`)).toBe(200);
    expect(await statusFor(`attacker.example:${port}`)).toBe(403);
    const refused = new WebSocket(local.webSocketUrl, { headers: { host: `attacker.example:${port}` } });
    await expect(opened(refused)).rejects.toThrow(/403/);
  });

  it('takes WebSocket inspectors from Node (no Origin) and from loopback pages, and refuses pages of any other site', async () => {
    local = await createLocalInspector();
    const { port } = new URL(local.url);
    const connect = (origin?: string) => {
      const socket = new WebSocket(local?.webSocketUrl ?? '', origin === undefined ? {} : { origin });
      cleanups.push(() => socket.terminate());
      return opened(socket);
    };
    await expect(connect()).resolves.toBeUndefined();
    await expect(connect(`http://127.0.0.1:${port}`)).resolves.toBeUndefined();
    await expect(connect(`http://localhost:${port}`)).resolves.toBeUndefined();
    await expect(connect('https://attacker.example')).rejects.toThrow(/403/);
    await expect(connect('http://127.0.0.1:1')).rejects.toThrow(/403/);
    await expect(connect('null')).rejects.toThrow(/403/);
  });

  it('answers a request whose target is not a URL with 400, and goes on serving', async () => {
    local = await createLocalInspector();
    const { port } = new URL(local.url);
    const socket = connectSocket(Number(port), '127.0.0.1');
    socket.end(`GET http://a:b/ HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
    let reply = '';
    for await (const chunk of socket) reply += String(chunk);
    expect(reply).toMatch(/^HTTP\/1\.1 400 /);
    expect((await fetch(local.url)).status).toBe(200);
  });

  it('serves the page with a Content-Security-Policy that keeps it to its own files', async () => {
    local = await createLocalInspector();
    const response = await fetch(local.url);
    expect(response.headers.get('content-security-policy')).toMatch(/^default-src 'self'/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
