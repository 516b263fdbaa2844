/**
 * A TCP proxy in front of redis-server that can hold every byte, both ways:
 * a replica connected through it stands still, exactly where it was, while
 * the others write on, and falls behind the trimmed stream on demand.
 */
import { createConnection, createServer, type Socket } from 'node:net';

export interface PausableProxy {
  /** `redis://127.0.0.1:PORT`, for the replica to connect through. */
  readonly url: string;
  /** From now on, what either side sends is held; with 'replies', only what Redis sends back: the replica's commands still reach it. */
  pause(only?: 'replies'): void;
  /** Delivers what was held, in order, and lets everything through again. */
  resume(): void;
  close(): Promise<void>;
}

export async function pausableProxy(redisPort: number): Promise<PausableProxy> {
  let paused: 'both' | 'replies' | null = null;
  const held: (() => void)[] = [];
  const sockets = new Set<Socket>();
  const relay = (from: Socket, to: Socket, replies: boolean) =>
    from.on('data', (chunk) => {
      if (paused === 'both' || (paused === 'replies' && replies)) held.push(() => to.write(chunk));
      else to.write(chunk);
    });
  const server = createServer((client) => {
    const upstream = createConnection({ port: redisPort, host: '127.0.0.1' });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => (client.destroy(), upstream.destroy(), sockets.delete(socket)));
    }
    relay(client, upstream, false);
    relay(upstream, client, true);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('the proxy has no port');
  return {
    url: `redis://127.0.0.1:${address.port}`,
    pause: (only) => void (paused = only ?? 'both'),
    resume: () => {
      paused = null;
      for (const deliver of held.splice(0)) deliver();
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
