import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exchange } from './exchange.js';
import { httpRequestSchema } from './spec.js';

/** A keep-alive server that records every connection and when each one closed. */
function connectionServer(handler: Parameters<typeof createServer>[1]) {
  const server: Server = createServer({ keepAliveTimeout: 60_000 }, handler);
  const sockets: Socket[] = [];
  const closed: Promise<unknown>[] = [];
  server.on('connection', (s: Socket) => {
    sockets.push(s);
    closed.push(once(s, 'close'));
  });
  return { server, sockets, closed };
}

describe('http exchange connections', () => {
  let s: ReturnType<typeof connectionServer>;
  let base: string;

  beforeEach(async () => {
    s = connectionServer((req, res) => {
      if (req.url === '/moved') {
        res.writeHead(302, { location: '/ok' }).end('moved');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain' }).end('fine');
    });
    s.server.listen(0, '127.0.0.1');
    await once(s.server, 'listening');
    base = `http://127.0.0.1:${(s.server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    s.server.closeAllConnections();
    s.server.close();
    await once(s.server, 'close');
  });

  const run = (path: string) =>
    exchange(httpRequestSchema.parse({ url: `${base}${path}` }), 2_000, undefined);

  it('closes its connection once the body is read, even though the server would keep it alive', async () => {
    const x = await run('/ok');
    expect({ status: x.status, body: x.bodyText, failure: x.failure }).toEqual({
      status: 200,
      body: 'fine',
      failure: null,
    });
    await Promise.all(s.closed);
    expect(s.sockets.every((sock) => sock.destroyed)).toBe(true);
  });

  it('opens a fresh connection for every run, so each one measures connect', async () => {
    const runs = [await run('/ok'), await run('/ok'), await run('/ok')];
    expect(s.sockets).toHaveLength(3);
    for (const x of runs) expect(x.phases.connectMs).not.toBeNull();
  });

  it('ends the redirect hop’s connection and follows on a new one', async () => {
    const x = await run('/moved');
    expect({ status: x.status, redirects: x.redirects, body: x.bodyText }).toEqual({
      status: 200,
      redirects: 1,
      body: 'fine',
    });
    expect(s.sockets).toHaveLength(2);
    await Promise.all(s.closed);
  });
});
