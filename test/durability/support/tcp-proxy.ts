import { createServer, connect, type Socket } from 'node:net';

export interface TcpProxy {
  port: number;
  url(target: string): string;
  /** cuts the link: destroys every open connection and resets new ones until resume() */
  cut(): void;
  resume(): void;
  close(): Promise<void>;
}

/**
 * A TCP proxy to `host:port` that a test can cut and restore, standing in for a network partition;
 * it listens on `listenHost` (@defaultValue 127.0.0.1).
 */
export async function startTcpProxy(
  target: { host: string; port: number },
  listenHost = '127.0.0.1',
): Promise<TcpProxy> {
  const open = new Set<Socket>();
  let cut = false;
  const server = createServer((client) => {
    if (cut) {
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(target.port, target.host);
    open.add(client);
    open.add(upstream);
    const end = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, listenHost, resolve));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    port,
    url(t) {
      const u = new URL(t);
      u.hostname = listenHost;
      u.port = String(port);
      return u.toString();
    },
    cut() {
      cut = true;
      for (const s of open) s.resetAndDestroy();
      open.clear();
    },
    resume() {
      cut = false;
    },
    close() {
      for (const s of open) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
