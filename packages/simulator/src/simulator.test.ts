import { connect as netConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { Agent, request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fleetRoutes } from './fleet.js';
import { SimulatorError, startSimulator } from './simulator.js';
import type { Simulator, SimulatorRequestEvent } from './types.js';

let sim: Simulator;
let agent: Agent;
const events: SimulatorRequestEvent[] = [];

beforeAll(async () => {
  sim = await startSimulator({ onRequest: (e) => events.push(e) });
  agent = new Agent({ connect: { ca: sim.ca }, headersTimeout: 5_000, bodyTimeout: 5_000 });
});
afterAll(async () => {
  await agent.close();
  await sim.close();
});

async function getJson(url: string, init: Parameters<typeof request>[1] = {}) {
  const res = await request(url, { dispatcher: agent, ...init });
  return {
    status: res.statusCode,
    headers: res.headers,
    body: (await res.body.json()) as Record<string, unknown>,
  };
}

describe('the default fleet', () => {
  it.each([
    ['/elasticsearch/_cluster/health', (b: Record<string, unknown>) => b.status, 'green'],
    [
      '/statuspage/api/v2/status.json',
      (b: Record<string, unknown>) => (b.status as { indicator: string }).indicator,
      'none',
    ],
    ['/stripe/v1/balance', (b: Record<string, unknown>) => b.object, 'balance'],
    ['/paypal/v1/oauth2/token', (b: Record<string, unknown>) => b.token_type, 'Bearer'],
    ['/google/oauth2/v3/certs', (b: Record<string, unknown>) => (b.keys as unknown[]).length, 2],
  ])('serves %s with a realistic JSON body over HTTP and HTTPS', async (path, pick, expected) => {
    for (const base of [sim.httpUrl, sim.httpsUrl]) {
      const res = await getJson(`${base}${path}`, { method: 'POST' });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/application\/json/);
      expect(pick(res.body)).toBe(expected);
    }
  });

  it.each([
    '/stripe/v1/charges',
    '/google/.well-known/openid-configuration',
    '/facebook/v19.0/me',
    '/analytics/v1/collect',
    '/ads/v1/campaigns',
    '/echo',
    '/hostile/reset',
    '/hostile/huge',
  ])('has a route for %s', (path) => {
    expect(fleetRoutes[path]).toBeDefined();
  });

  it('answers an unknown path with a 404 JSON body', async () => {
    const res = await getJson(`${sim.httpUrl}/nope?x=1`);
    expect(res).toMatchObject({ status: 404, body: { error: 'not_found', path: '/nope' } });
  });

  it('counts requests per path across listeners and reports each one', async () => {
    const before = sim.requests();
    await getJson(`${sim.httpUrl}/facebook/v19.0/me`);
    await getJson(`${sim.httpsUrl}/facebook/v19.0/me?fields=id`);
    expect(sim.requests('/facebook/v19.0/me')).toBe(2);
    expect(sim.requests()).toBe(before + 2);
    expect(events.filter((e) => e.path === '/facebook/v19.0/me').map((e) => e.tls)).toEqual([
      'none',
      'valid',
    ]);
  });
});

describe('scripted behaviours', () => {
  let s: Simulator;
  afterEach(() => s?.close());

  it('replaces a route with set(), given a behaviour or a script', async () => {
    s = await startSimulator({ routes: {} });
    s.set('/x', { mode: 'status', status: 418, body: 'teapot' });
    let res = await request(`${s.httpUrl}/x`);
    expect([res.statusCode, await res.body.text()]).toEqual([418, 'teapot']);
    s.set('/x', { behavior: { mode: 'ok', body: { fine: true } } });
    res = await request(`${s.httpUrl}/x`);
    expect([res.statusCode, await res.body.json()]).toEqual([200, { fine: true }]);
  });

  it('follows outage windows and repeating outages on its injected clock', async () => {
    let now = 1_000_000;
    s = await startSimulator({
      clock: { now: () => now },
      routes: {
        '/api': {
          behavior: { mode: 'ok' },
          outages: [{ fromMs: 60_000, toMs: 90_000, behavior: { mode: 'status', status: 503 } }],
          every: {
            periodMs: 300_000,
            downMs: 10_000,
            offsetMs: 200_000,
            behavior: { mode: 'rate_limited', retryAfterS: 7 },
          },
        },
      },
    });
    const statusAt = async (elapsed: number) => {
      now = 1_000_000 + elapsed;
      const res = await request(`${s.httpUrl}/api`);
      await res.body.dump();
      return res.statusCode;
    };
    expect(await statusAt(59_999)).toBe(200);
    expect(await statusAt(60_000)).toBe(503);
    expect(await statusAt(90_000)).toBe(200);
    expect(await statusAt(205_000)).toBe(429);
    expect(await statusAt(505_000)).toBe(429);
    expect(await statusAt(515_000)).toBe(200);
  });

  it('delays an ok answer by its latency', async () => {
    s = await startSimulator({ routes: { '/slow': { behavior: { mode: 'ok', latencyMs: 300 } } } });
    const t0 = performance.now();
    const res = await request(`${s.httpUrl}/slow`);
    await res.body.dump();
    expect(performance.now() - t0).toBeGreaterThanOrEqual(290);
  });

  it('fails the share of requests given by errorRate, the same ones for the same seed', async () => {
    const run = async (seed: number) => {
      const x = await startSimulator({
        seed,
        routes: { '/f': { behavior: { mode: 'ok', errorRate: 0.5 } } },
      });
      const statuses: number[] = [];
      for (let i = 0; i < 40; i++) {
        const res = await request(`${x.httpUrl}/f`);
        await res.body.dump();
        statuses.push(res.statusCode);
      }
      await x.close();
      return statuses;
    };
    const a = await run(3);
    expect(await run(3)).toEqual(a);
    const failed = a.filter((c) => c === 500).length;
    expect(failed).toBeGreaterThan(8);
    expect(failed).toBeLessThan(32);
  });

  it('answers 429 with Retry-After', async () => {
    const res = await getJson(`${sim.httpUrl}/hostile/rate_limited`);
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('30');
  });

  it('redirects once to its target', async () => {
    const res = await request(`${sim.httpUrl}/hostile/redirect`);
    await res.body.dump();
    expect([res.statusCode, res.headers.location]).toEqual([302, '/echo']);
  });

  it('redirects forever in a loop until the client gives up', async () => {
    const before = sim.requests('/hostile/redirect_loop');
    const failure = await fetch(`${sim.httpUrl}/hostile/redirect_loop`).catch((e: Error) => e);
    expect(failure).toBeInstanceOf(Error);
    expect(String((failure as Error).cause)).toMatch(/redirect count exceeded/);
    expect(sim.requests('/hostile/redirect_loop') - before).toBe(21);
  });

  it('echoes method, path, query, headers and JSON body', async () => {
    const res = await getJson(`${sim.httpUrl}/echo?a=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer t0k' },
      body: JSON.stringify({ hello: 'world' }),
    });
    expect(res.body).toMatchObject({
      method: 'POST',
      path: '/echo',
      query: { a: '1' },
      headers: { authorization: 'Bearer t0k' },
      body: { hello: 'world' },
    });
  });
});

describe('hostile behaviours', () => {
  it('drips the body a few bytes at a time', async () => {
    const s = await startSimulator({
      routes: { '/drip': { behavior: { mode: 'slow_drip', bytesPerSecond: 40 } } },
    });
    const controller = new AbortController();
    const res = await request(`${s.httpUrl}/drip`, { signal: controller.signal });
    expect(res.statusCode).toBe(200);
    let bytes = 0;
    const t0 = performance.now();
    for await (const chunk of res.body) {
      bytes += (chunk as Buffer).length;
      if (performance.now() - t0 > 1_000) break;
    }
    controller.abort();
    expect(bytes).toBeGreaterThanOrEqual(30);
    expect(bytes).toBeLessThanOrEqual(60);
    await s.close();
  });

  it('streams an endless body until the client goes away', async () => {
    const res = await request(`${sim.httpUrl}/hostile/endless`, { dispatcher: agent });
    expect(res.headers['content-length']).toBeUndefined();
    let bytes = 0;
    for await (const chunk of res.body) {
      bytes += (chunk as Buffer).length;
      if (bytes > 8 * 1024 * 1024) break;
    }
    expect(bytes).toBeGreaterThan(8 * 1024 * 1024);
    const after = await getJson(`${sim.httpUrl}/elasticsearch/_cluster/health`);
    expect(after.status).toBe(200);
  });

  it('streams a 64 MiB body with its exact length', async () => {
    const res = await request(`${sim.httpUrl}/hostile/huge`, { dispatcher: agent });
    expect(res.headers['content-length']).toBe(String(64 * 1024 * 1024));
    let bytes = 0;
    for await (const chunk of res.body) bytes += (chunk as Buffer).length;
    expect(bytes).toBe(64 * 1024 * 1024);
  });

  it.each(['hang', 'hang_headers'])('never finishes the headers of /hostile/%s', async (mode) => {
    const short = new Agent({ headersTimeout: 300 });
    const failure = await request(`${sim.httpUrl}/hostile/${mode}`, { dispatcher: short }).catch(
      (e: { code?: string }) => e,
    );
    expect((failure as { code?: string }).code).toBe('UND_ERR_HEADERS_TIMEOUT');
    await short.destroy();
  });

  it('sends a status line and headers but never the blank line that ends them', async () => {
    // everything the server ever sends on the connection: read until it closes (once the headers came)
    const own = await startSimulator();
    const received = await new Promise<string>((resolve, reject) => {
      const socket = netConnect(Number(new URL(own.httpUrl).port), '127.0.0.1', () =>
        socket.write('GET /hostile/hang_headers HTTP/1.1\r\nhost: sim\r\n\r\n'),
      );
      let text = '';
      socket.once('data', () => void own.close());
      socket.on('data', (d) => (text += d.toString()));
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
    });
    expect(received).toMatch(/^HTTP\/1.1 200 OK\r\n/);
    expect(received).not.toContain('\r\n\r\n');
  });

  it.each([
    ['http', () => sim.httpUrl, 'ECONNRESET'],
    ['https', () => sim.httpsUrl, 'UND_ERR_SOCKET'],
  ])('drops the connection mid-request over %s', async (_name, base, code) => {
    const failure = await request(`${base()}/hostile/reset`, { dispatcher: agent }).catch((e: Error) => e);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as { code?: string }).code).toBe(code);
  });
});

describe('certificates', () => {
  const handshake = (url: string, ca?: string) =>
    new Promise<string>((resolve) => {
      const u = new URL(url);
      const socket = tlsConnect(
        { host: u.hostname, port: Number(u.port), ca, servername: 'localhost' },
        () => {
          socket.end();
          resolve('ok');
        },
      );
      socket.on('error', (e: Error & { code?: string }) => resolve(e.code ?? e.message));
    });

  it.each([
    ['httpsUrl', 'trusting the CA', true, 'ok'],
    ['httpsUrl', 'not trusting the CA', false, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'],
    ['expiredUrl', 'trusting the CA', true, 'CERT_HAS_EXPIRED'],
    ['expiredUrl', 'not trusting the CA', false, 'CERT_HAS_EXPIRED'],
    ['wrongHostUrl', 'trusting the CA', true, 'ERR_TLS_CERT_ALTNAME_INVALID'],
  ] as const)('%s %s gives %s', async (key, _how, trust, expected) => {
    expect(await handshake(sim[key], trust ? sim.ca : undefined)).toBe(expected);
  });

  it('serves a certificate valid for 127.0.0.1 as well as localhost', async () => {
    const res = await getJson(`${sim.httpsUrl}/elasticsearch/_cluster/health`);
    expect(res.status).toBe(200);
  });
});

describe('lifecycle', () => {
  it('closes promptly while clients hang, drip and stream', async () => {
    let arrived: () => void = () => undefined;
    const allArrived = new Promise<void>((resolve) => (arrived = resolve));
    let seen = 0;
    const s = await startSimulator({ onRequest: () => void (++seen === 3 && arrived()) });
    const pending = ['/hostile/hang', '/hostile/slow_drip', '/hostile/endless'].map((p) =>
      request(`${s.httpUrl}${p}`).then(
        async (res) => {
          for await (const _ of res.body) void _;
          return 'ended';
        },
        (e: Error) => e.message,
      ),
    );
    await allArrived;
    const t0 = performance.now();
    await s.close();
    const outcomes = await Promise.all(pending.map((p) => p.catch((e: Error) => e.message)));
    expect(performance.now() - t0).toBeLessThan(1_000);
    expect(outcomes).not.toContain('ended');
    await s.close();
  });

  it('fails with a typed error when a port is taken', async () => {
    const s = await startSimulator();
    const port = Number(new URL(s.httpUrl).port);
    const failure = await startSimulator({ httpPort: port }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(SimulatorError);
    expect(failure).toMatchObject({ code: 'SIM_LISTEN', cause: { code: 'EADDRINUSE' } });
    await s.close();
  });
});
