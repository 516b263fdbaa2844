import { createWebSocketInspector } from '@statelyai/inspect';
import { createActor, setup, waitFor } from 'xstate';
import { createLocalInspector } from 'concord-state/inspect';

// Any XState app, Concord or not, can send to the local inspector's page with Stately's WebSocket inspector.
const toggle = setup({}).createMachine({
  id: 'toggle',
  initial: 'inactive',
  states: { inactive: { on: { toggle: 'active' } }, active: { on: { toggle: 'inactive' } } },
});

const local = await createLocalInspector({ port: 0 }); // the page the inspector CLI serves
const inspector = createWebSocketInspector({ url: local.webSocketUrl }); // ws://127.0.0.1:PORT/, not localhost: the server listens on IPv4 loopback
const app = createActor(toggle, { inspect: inspector.inspect }).start();
app.send({ type: 'toggle' });
await waitFor(app, (snapshot) => snapshot.matches('active'));

// The inspector sends on its own schedule: wait until the page has the app's actor.
while (!local.recording().entries.some((entry) => entry.kind === 'actor' && entry.origin !== 'local')) await new Promise((resolve) => setTimeout(resolve, 50));
console.log('the page shows', local.url);
inspector.stop();
await local.close();
