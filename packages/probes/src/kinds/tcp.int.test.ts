import { createServer, type Server, type Socket } from 'node:net';
import type { ErrorClass } from '@vigil/core';
import { manualClock, startSimulator, type Simulator } from '@vigil/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProbe } from '../run-probe.js';
import { closedPort, phaseSum, PHASE_SLACK_MS, probeSpec } from '../testing/probes.js';

let sim: Simulator;
let silent: Server;
let silentPort: number;
let refusedPort: number;
const sockets = new Set<Socket>();
const ctx = { env: {}, clock: manualClock(Date.now()), region: 'local', slotAt: 0, workerId: 'w1' };
const portOf = (url: string): number => Number(new URL(url).port);

beforeAll(async () => {
  sim = await startSimulator();
  refusedPort = await closedPort();
  // accepts connections and never says anything: a TLS handshake with it never completes
  silent = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  silentPort = (silent.address() as { port: number }).port;
});
afterAll(async () => {
  await sim.close();
  for (const s of sockets) s.destroy();
  await new Promise<void>((resolve) => silent.close(() => resolve()));
});

const tcp = (spec: Record<string, unknown>, expect: unknown = {}, timeoutMs = 3000) =>
  runProbe(probeSpec('tcp', spec, expect, timeoutMs), ctx);

describe('tcp probe', () => {
  it('is up once connected, with dns and connect phases for a name', async () => {
    const r = await tcp({ host: 'localhost', port: portOf(sim.httpUrl) }, { responseTime: '< 2s' });
    expect(r).toMatchObject({ outcome: 'up', httpStatus: null, tlsDaysLeft: null });
    expect(r.phases.dnsMs).not.toBeNull();
    expect(r.phases.connectMs).not.toBeNull();
    expect(r.phases).toMatchObject({ tlsMs: null, ttfbMs: null, transferMs: null });
    expect(phaseSum(r.phases)).toBeLessThanOrEqual(r.phases.totalMs + PHASE_SLACK_MS);
  });

  it('completes and verifies a TLS handshake when asked, reporting the certificate’s days left', async () => {
    const r = await tcp(
      { host: '127.0.0.1', port: portOf(sim.httpsUrl), tls: { ca: sim.ca } },
      { tls: { daysLeft: '>= 300' } },
    );
    expect(r.outcome).toBe('up');
    expect(r.phases.tlsMs).not.toBeNull();
    expect(r.tlsDaysLeft).toBeGreaterThanOrEqual(363);
  });

  const cases: [string, ErrorClass, () => Record<string, unknown>, number][] = [
    ['a closed port', 'connect_refused', () => ({ host: '127.0.0.1', port: refusedPort }), 3000],
    ['an unknown host', 'dns', () => ({ host: 'vigil-does-not-exist.invalid', port: 443 }), 3000],
    [
      'a TLS handshake that never ends',
      'timeout',
      () => ({ host: '127.0.0.1', port: silentPort, tls: true }),
      300,
    ],
    [
      'an expired certificate',
      'tls_expired',
      () => ({ host: '127.0.0.1', port: portOf(sim.expiredUrl), tls: { ca: sim.ca } }),
      3000,
    ],
    [
      'an untrusted certificate',
      'tls_invalid',
      () => ({ host: '127.0.0.1', port: portOf(sim.httpsUrl), tls: true }),
      3000,
    ],
    [
      'a certificate for another host',
      'tls_hostname',
      () => ({ host: '127.0.0.1', port: portOf(sim.wrongHostUrl), tls: { ca: sim.ca } }),
      3000,
    ],
  ];
  it.each(cases)('is down for %s with %s', async (_name, errorClass, spec, timeoutMs) => {
    const r = await tcp(spec(), {}, timeoutMs);
    expect({ outcome: r.outcome, errorClass: r.errorClass }).toEqual({ outcome: 'down', errorClass });
    expect(r.phases.totalMs).toBeLessThan(timeoutMs + 500);
  });

  it('fails a certificate assertion on a plain connection, saying none was seen', async () => {
    const r = await tcp({ host: '127.0.0.1', port: portOf(sim.httpUrl) }, { tls: { daysLeft: '>= 14' } });
    expect(r).toMatchObject({
      outcome: 'down',
      errorClass: 'assertion_failed',
      message: 'expected tlsDaysLeft >= 14, got no certificate',
    });
  });
});
