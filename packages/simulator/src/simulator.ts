import type { Clock } from '@vigil/core';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Server, Socket } from 'node:net';
import { respond, send, type TokenBook } from './behaviors.js';
import { simulatorCerts, type KeyPair } from './certs.js';
import { fleetRoutes } from './fleet.js';
import { seededRandom } from './random.js';
import { behaviorAt, toScript } from './script.js';
import type { RouteScript, Simulator, SimulatorOptions, SimulatorRequestEvent } from './types.js';

const systemClock: Clock = { now: () => Date.now() };

export class SimulatorError extends Error {
  readonly code = 'SIM_LISTEN';
  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
  }
}

type TlsKind = SimulatorRequestEvent['tls'];

/** Starts the HTTP and three HTTPS listeners (valid, expired, wrong-host certificate) of the fake fleet. */
export async function startSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  const host = opts.host ?? '127.0.0.1';
  const clock = opts.clock ?? systemClock;
  const startedAt = clock.now();
  const random = seededRandom(opts.seed ?? 1);
  const routes = new Map<string, RouteScript>(Object.entries(opts.routes ?? fleetRoutes));
  const counts = new Map<string, number>();
  const tokens = new Map<string, number>();
  const tokenBook: TokenBook = {
    issue: (token, expiresAt) => void tokens.set(token, expiresAt),
    expiresAt: (token) => tokens.get(token),
  };
  const sockets = new Set<Socket>();
  const certs = await simulatorCerts();

  const handler =
    (tls: TlsKind) =>
    (req: IncomingMessage, res: ServerResponse): void => {
      const path = new URL(req.url ?? '/', 'http://sim').pathname;
      counts.set(path, (counts.get(path) ?? 0) + 1);
      const script = routes.get(path);
      const method = req.method ?? 'GET';
      if (!script) {
        opts.onRequest?.({ method, path, mode: 'not_found', tls });
        req.resume();
        return send(res, 404, { error: 'not_found', path });
      }
      const behavior = behaviorAt(script, clock.now() - startedAt);
      opts.onRequest?.({ method, path, mode: behavior.mode, tls });
      respond(behavior, req, res, { random, now: () => clock.now(), tokens: tokenBook, startedAt });
    };

  const track = (server: Server): Server => {
    server.on('connection', (s: Socket) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    return server;
  };
  const https = (tls: TlsKind, pair: KeyPair): Server =>
    track(createHttpsServer({ key: pair.key, cert: pair.cert }, handler(tls)));

  const fixedHttps = opts.httpsPort !== undefined && opts.httpsPort !== 0;
  const plan: [Server, number][] = [
    [track(createHttpServer(handler('none'))), opts.httpPort ?? 0],
    [https('valid', certs.valid), opts.httpsPort ?? 0],
    [https('expired', certs.expired), opts.expiredPort ?? (fixedHttps ? opts.httpsPort! + 1 : 0)],
    [https('wrong_host', certs.wrongHost), opts.wrongHostPort ?? (fixedHttps ? opts.httpsPort! + 2 : 0)],
  ];

  const servers: Server[] = [];
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      const done = servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve())));
      for (const s of sockets) s.destroy();
      sockets.clear();
      await Promise.all(done);
    })();
    return closing;
  };

  const ports: number[] = [];
  for (const [server, port] of plan) {
    try {
      ports.push(await listen(server, host, port));
      servers.push(server);
    } catch (err) {
      await close();
      throw new SimulatorError(`simulator could not listen on ${host}:${port}`, { cause: err });
    }
  }
  const h = host.includes(':') ? `[${host}]` : host;
  return {
    httpUrl: `http://${h}:${ports[0]}`,
    httpsUrl: `https://${h}:${ports[1]}`,
    expiredUrl: `https://${h}:${ports[2]}`,
    wrongHostUrl: `https://${h}:${ports[3]}`,
    ca: certs.ca,
    set(path, script) {
      routes.set(path, toScript(script));
    },
    tokensIssued: () => tokens.size,
    requests(path) {
      if (path !== undefined) return counts.get(path) ?? 0;
      let total = 0;
      for (const n of counts.values()) total += n;
      return total;
    },
    close,
  };
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const addr = server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : port);
    });
  });
}
