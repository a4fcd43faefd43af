import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ErrorClass } from '@vigil/core';
import { manualClock, startSimulator, type Simulator } from '@vigil/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProbe } from '../run-probe.js';
import { closedPort, phaseSum, PHASE_SLACK_MS, probeSpec } from '../testing/probes.js';

let sim: Simulator;
let refusedPort: number;
const clock = manualClock(Date.now());
const ctx = { env: {}, clock, region: 'local', slotAt: 0, workerId: 'w1' };

beforeAll(async () => {
  sim = await startSimulator();
  refusedPort = await closedPort();
});
afterAll(() => sim.close());

const http = (spec: Record<string, unknown>, expect: unknown = {}, timeoutMs = 3000) =>
  runProbe(probeSpec('http', spec, expect, timeoutMs), ctx);

describe('http probe signals from the response', () => {
  it('captures the Deprecation and Sunset headers of an endpoint that is up', async () => {
    const r = await http({ url: `${sim.httpUrl}/deprecated/v1/items` });
    expect(r.outcome).toBe('up');
    expect(r.notices).toEqual({
      deprecated: true,
      deprecatedAt: Date.parse('2025-01-01T00:00:00Z'),
      sunsetAt: Date.parse('2025-12-31T23:59:59Z'),
      link: 'https://example.invalid/migrate',
    });
  });

  it('carries no notices for an endpoint that announces nothing', async () => {
    expect((await http({ url: `${sim.httpUrl}/echo` })).notices).toBeNull();
  });

  it('classes a 401 as auth with the status in the message, and is up when the 401 is expected', async () => {
    const r = await http({ url: `${sim.httpUrl}/auth/rejected` });
    expect(r).toMatchObject({ outcome: 'down', errorClass: 'auth', httpStatus: 401 });
    expect(r.message).toMatch(/^credentials rejected: expected status 2xx, got 401/);
    const expected = await http({ url: `${sim.httpUrl}/auth/rejected` }, { status: 401 });
    expect(expected).toMatchObject({ outcome: 'up', errorClass: null });
  });
});

describe('http probe error classes', () => {
  const cases: [string, ErrorClass, () => Record<string, unknown>, unknown, number][] = [
    ['a hang before headers', 'timeout', () => ({ url: `${sim.httpUrl}/hostile/hang` }), {}, 400],
    ['headers that never end', 'timeout', () => ({ url: `${sim.httpUrl}/hostile/hang_headers` }), {}, 400],
    ['an unknown host', 'dns', () => ({ url: 'http://vigil-does-not-exist.invalid/' }), {}, 3000],
    ['a closed port', 'connect_refused', () => ({ url: `http://127.0.0.1:${refusedPort}/` }), {}, 3000],
    ['a reset connection', 'connection_reset', () => ({ url: `${sim.httpUrl}/hostile/reset` }), {}, 3000],
    [
      'an expired certificate',
      'tls_expired',
      () => ({ url: `${sim.expiredUrl}/echo`, tls: { ca: sim.ca } }),
      {},
      3000,
    ],
    ['an untrusted certificate', 'tls_invalid', () => ({ url: `${sim.httpsUrl}/echo` }), {}, 3000],
    [
      'a certificate for another host',
      'tls_hostname',
      () => ({ url: `${sim.wrongHostUrl}/echo`, tls: { ca: sim.ca } }),
      {},
      3000,
    ],
    [
      'a redirect loop',
      'too_many_redirects',
      () => ({ url: `${sim.httpUrl}/hostile/redirect_loop` }),
      {},
      3000,
    ],
    ['a declared 64 MB body', 'body_too_large', () => ({ url: `${sim.httpUrl}/hostile/huge` }), {}, 3000],
    ['an endless body', 'body_too_large', () => ({ url: `${sim.httpUrl}/hostile/endless` }), {}, 3000],
    ['a 503', 'http_status', () => ({ url: `${sim.httpUrl}/hostile/status` }), {}, 3000],
    ['a 401 (credentials rejected)', 'auth', () => ({ url: `${sim.httpUrl}/auth/rejected` }), {}, 3000],
    ['a 403 (credentials refused)', 'auth', () => ({ url: `${sim.httpUrl}/auth/forbidden` }), {}, 3000],
    [
      'a failed JSON assertion',
      'assertion_failed',
      () => ({ url: `${sim.httpUrl}/echo` }),
      { json: { '$.method': 'POST' } },
      3000,
    ],
  ];

  it.each(cases)('%s is down with %s', async (_name, errorClass, spec, expectation, timeoutMs) => {
    const r = await http(spec(), expectation, timeoutMs);
    expect({ outcome: r.outcome, errorClass: r.errorClass }).toEqual({ outcome: 'down', errorClass });
    expect(r.message).toBeTruthy();
    expect(phaseSum(r.phases)).toBeLessThanOrEqual(r.phases.totalMs + PHASE_SLACK_MS);
  });

  it('calls a 429 rate limited, not down, and keeps Retry-After', async () => {
    const r = await http({ url: `${sim.httpUrl}/hostile/rate_limited` });
    expect(r).toMatchObject({
      outcome: 'rate_limited',
      errorClass: 'rate_limited',
      httpStatus: 429,
      retryAfterS: 30,
      message: 'rate limited (HTTP 429, retry after 30s)',
    });
  });

  it('treats a 429 as an ordinary status when the probe expects exactly 429', async () => {
    const r = await http({ url: `${sim.httpUrl}/hostile/rate_limited` }, { status: 429 });
    expect(r).toMatchObject({ outcome: 'up', httpStatus: 429, retryAfterS: null });
  });

  it('says what was expected and what was seen', async () => {
    const r = await http({ url: `${sim.httpUrl}/hostile/status` }, { status: 200 });
    expect(r.message).toMatch(/^expected status 200, got 503: /);
    expect(r.assertions[0]).toMatchObject({ name: 'status', ok: false, expected: '200', actual: '503' });
  });

  it('reports the days left of an expired certificate it rejected', async () => {
    const r = await http({ url: `${sim.expiredUrl}/echo`, tls: { ca: sim.ca } });
    expect(r.tlsDaysLeft).toBeLessThan(0);
  });
});

describe('http probe timing', () => {
  it('measures dns, connect, tls, ttfb and transfer consistently with the total', async () => {
    const url = sim.httpsUrl.replace('127.0.0.1', 'localhost');
    const r = await http(
      { url: `${url}/echo`, tls: { ca: sim.ca } },
      { responseTime: '< 2s', tls: { daysLeft: '>= 300' } },
    );
    expect(r.outcome).toBe('up');
    const p = r.phases;
    for (const v of [p.dnsMs, p.connectMs, p.tlsMs, p.ttfbMs, p.transferMs])
      expect(v).toBeGreaterThanOrEqual(0);
    expect(phaseSum(p)).toBeLessThanOrEqual(p.totalMs + PHASE_SLACK_MS);
    expect(r.tlsDaysLeft).toBeGreaterThanOrEqual(363);
  });

  it('has no dns or tls phase for plain http to an IP address', async () => {
    const r = await http({ url: `${sim.httpUrl}/echo` });
    expect(r.phases).toMatchObject({ dnsMs: null, tlsMs: null });
    expect(r.phases.connectMs).not.toBeNull();
    expect(r.tlsDaysLeft).toBeNull();
  });

  it('stops a slow-drip body at the overall deadline', async () => {
    const r = await http({ url: `${sim.httpUrl}/hostile/slow_drip` }, {}, 700);
    expect(r).toMatchObject({ outcome: 'down', errorClass: 'timeout', httpStatus: 200 });
    expect(r.message).toContain('while reading the body');
    expect(r.phases.totalMs).toBeGreaterThanOrEqual(690);
    expect(r.phases.totalMs).toBeLessThan(1500);
    expect(r.phases.transferMs).toBeGreaterThan(0);
  });

  it('counts time to headers against the same deadline', async () => {
    const r = await http({ url: `${sim.httpUrl}/hostile/slow` }, {}, 300);
    expect(r.errorClass).toBe('timeout');
    expect(r.message).toContain('waiting for the response headers');
    expect(r.phases.totalMs).toBeLessThan(1000);
  });

  it('sees an expiring certificate through the injected clock', async () => {
    const later = manualClock(Date.now() + 400 * 86_400_000);
    const r = await runProbe(
      probeSpec('http', { url: `${sim.httpsUrl}/echo`, tls: { ca: sim.ca } }, { tls: { daysLeft: '>= 14' } }),
      { ...ctx, clock: later },
    );
    expect(r).toMatchObject({ outcome: 'down', errorClass: 'assertion_failed' });
    expect(r.message).toMatch(/^expected tlsDaysLeft >= 14, got -3\d$/);
  });
});

describe('http probe body cap', () => {
  let server: Server;
  let written = 0;
  let closed: Promise<void>;
  const FIFTY_MB = 50 * 1024 * 1024;

  beforeAll(async () => {
    server = createServer((_req, res) => {
      const chunk = Buffer.alloc(64 * 1024, 'y');
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      closed = new Promise((resolve) => res.on('close', () => resolve()));
      const pump = (): void => {
        while (written < FIFTY_MB && !res.destroyed) {
          written += chunk.length;
          if (!res.write(chunk)) return;
        }
        if (written >= FIFTY_MB) res.end();
      };
      res.on('drain', pump);
      pump();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('stops a 50 MB chunked body at the cap without reading the rest', async () => {
    const { port } = server.address() as AddressInfo;
    const r = await http({ url: `http://127.0.0.1:${port}/`, maxBodyBytes: 1024 * 1024 }, {}, 10_000);
    await closed;
    expect(r).toMatchObject({ outcome: 'down', errorClass: 'body_too_large', httpStatus: 200 });
    expect(r.message).toBe('body is over the 1048576-byte cap');
    expect(written).toBeLessThan(16 * 1024 * 1024);
  });
});

describe('http probe requests', () => {
  it('follows redirects and checks the final response', async () => {
    const r = await http({ url: `${sim.httpUrl}/hostile/redirect` }, { json: { '$.path': '/echo' } });
    expect(r).toMatchObject({ outcome: 'up', httpStatus: 200 });
  });

  it('reports a redirect as the final status when redirects are not followed', async () => {
    const spec = { url: `${sim.httpUrl}/hostile/redirect`, followRedirects: false };
    expect(await http(spec)).toMatchObject({ errorClass: 'http_status', httpStatus: 302 });
    expect(await http(spec, { status: 302, headers: { location: '/echo' } })).toMatchObject({
      outcome: 'up',
    });
  });

  it('sends method, headers, query, JSON body and basic auth', async () => {
    const r = await http(
      {
        url: `${sim.httpUrl}/echo?a=1`,
        method: 'POST',
        headers: { 'X-Env': 'live' },
        query: { b: '2' },
        json: { amount: 5 },
        auth: { basic: { username: 'u', password: 'p' } },
      },
      {
        status: [200, 201],
        headers: { 'content-type': { contains: 'json' } },
        json: {
          '$.method': 'POST',
          '$.query': { equals: { a: '1', b: '2' } },
          '$.headers["x-env"]': 'live',
          '$.headers.authorization': `Basic ${btoa('u:p')}`,
          '$.headers["content-type"]': 'application/json',
          '$.body.amount': { '>=': 5 },
        },
        body: { contains: '"amount":5' },
      },
    );
    expect(r.assertions.filter((a) => !a.ok)).toEqual([]);
    expect(r.outcome).toBe('up');
  });

  it('accepts any certificate when verification is off, still reporting its days left', async () => {
    const r = await http(
      { url: `${sim.expiredUrl}/echo`, tls: { verify: false } },
      { tls: { daysLeft: '>= 14' } },
    );
    expect(r).toMatchObject({ errorClass: 'assertion_failed', httpStatus: 200 });
    expect(r.tlsDaysLeft).toBeLessThan(0);
  });

  it('ends early and calls it internal when the caller cancels the run', async () => {
    const ac = new AbortController();
    const pending = runProbe(probeSpec('http', { url: `${sim.httpUrl}/hostile/hang` }), {
      ...ctx,
      signal: ac.signal,
    });
    setImmediate(() => ac.abort());
    expect(await pending).toMatchObject({ outcome: 'down', errorClass: 'internal' });
  });
});
