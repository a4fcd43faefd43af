import { execFileSync } from 'node:child_process';
import dns from 'node:dns';
import { mkdtempSync, openSync, closeSync, rmSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import type { ErrorClass, ProbeResult } from '@vigil/core';
import { manualClock, simulatorCerts, startDnsServer, type DnsServer } from '@vigil/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProbe } from './run-probe.js';
import { probeSpec } from './testing/probes.js';

const TIMEOUT_MS = 1_500;
/**
 * What settling a run may add after the first event-loop turn that began after its deadline (no timer can
 * run earlier; load moves that turn). The second firing of a 10 ms timer chain from the deadline on bounds
 * it: the first may run in a turn that began just before the deadline.
 */
const LATE_MS = 100;
const ctx = { env: {}, clock: manualClock(), region: 'local', slotAt: 0, workerId: 'w1' };

/** A 10 ms timer chain: tells when this process could run timers at all (load, GC, a busy loop). */
function timerWatch() {
  const firings: number[] = [];
  let timer: ReturnType<typeof setTimeout>;
  const tick = (): void => {
    timer = setTimeout(() => {
      firings.push(performance.now());
      tick();
    }, 10);
  };
  tick();
  return {
    turnAfter: (at: number) => (firings.filter((t) => t >= at)[1] ?? performance.now()) - at,
    stop: () => clearTimeout(timer),
  };
}

/** Runs `p` and checks it ended by its deadline: never before it, never later than timers allowed. */
async function runTimed(p: Parameters<typeof runProbe>[0]): Promise<ProbeResult> {
  const watch = timerWatch();
  const t0 = performance.now();
  try {
    const r = await runProbe(p, ctx);
    const over = r.phases.totalMs - p.timeoutMs;
    if (r.errorClass === 'timeout') expect(over).toBeGreaterThanOrEqual(0);
    expect(over).toBeLessThanOrEqual(watch.turnAfter(t0 + p.timeoutMs) + LATE_MS);
    return r;
  } finally {
    watch.stop();
  }
}

const listen = async <S extends Server | HttpServer | TlsServer>(
  server: S,
): Promise<S & { port: number }> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(server, { port: (server.address() as { port: number }).port });
};

let resolver: DnsServer;
let servers: (Server | HttpServer | TlsServer)[] = [];
const sockets = new Set<Socket>();
const track = (s: Socket): void => {
  sockets.add(s);
  s.on('error', () => s.destroy());
  s.on('close', () => sockets.delete(s));
};
let systemServers: string[];
let ok: number;
let tlsHang: number;
let hugeHeader: number;
let endlessHeader: number;
let dripHeaders: number;

beforeAll(async () => {
  resolver = await startDnsServer({
    records: { 'ok.vigil.test': { A: ['127.0.0.1'], AAAA: ['::1'] } },
    silent: ['hangs.vigil.test'],
  });
  systemServers = dns.getServers();
  dns.setServers([resolver.address]);
  const okServer = await listen(createHttpServer((_req, res) => res.end('{"ok":true}')));
  const hang = await listen(createServer(track));
  const huge = await listen(
    createServer((s) => {
      track(s);
      s.once('data', () => s.end(`HTTP/1.1 200 OK\r\nx-big: ${'a'.repeat(10 * 2 ** 20)}\r\n\r\n`));
    }),
  );
  const chunk = Buffer.alloc(64 * 1024, 'a');
  const endless = await listen(
    createServer((s) => {
      track(s);
      s.once('data', () => {
        s.write('HTTP/1.1 200 OK\r\nx-endless: ');
        const more = (): void => {
          while (!s.destroyed && s.write(chunk));
        };
        s.on('drain', more);
        more();
      });
    }),
  );
  const drip = await listen(
    createServer((s) => {
      track(s);
      s.once('data', () => {
        s.write('HTTP/1.1 200 OK\r\n');
        const t = setInterval(() => s.write('x-drip: 1\r\n'), 50);
        s.on('close', () => clearInterval(t));
      });
    }),
  );
  servers = [okServer, hang, huge, endless, drip];
  [ok, tlsHang, hugeHeader, endlessHeader, dripHeaders] = [okServer, hang, huge, endless, drip].map(
    (s) => s.port,
  ) as [number, number, number, number, number];
});

afterAll(async () => {
  dns.setServers(systemServers);
  for (const s of sockets) s.destroy();
  for (const s of servers) if ('closeAllConnections' in s) s.closeAllConnections();
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  await resolver.close();
});

const http = (url: string) => probeSpec('http', { url }, {}, TIMEOUT_MS);

describe('a run ends by its deadline whatever the target does', () => {
  it.each<[string, ErrorClass, () => Parameters<typeof runProbe>[0], RegExp]>([
    [
      'a resolver that never answers (http)',
      'timeout',
      () => http('http://hangs.vigil.test/'),
      /within 1500ms \(during DNS lookup or connect\)/,
    ],
    [
      'a resolver that never answers (tcp)',
      'timeout',
      () => probeSpec('tcp', { host: 'hangs.vigil.test', port: 443 }, {}, TIMEOUT_MS),
      /no connection within 1500ms/,
    ],
    [
      'a resolver that never answers (dns)',
      'timeout',
      () => probeSpec('dns', { name: 'hangs.vigil.test', server: resolver.address }, {}, TIMEOUT_MS),
      /no DNS answer within 1500ms/,
    ],
    [
      'a TLS handshake that never completes (http)',
      'timeout',
      () => http(`https://127.0.0.1:${tlsHang}/`),
      /during the TLS handshake/,
    ],
    [
      'a TLS handshake that never completes (tcp)',
      'timeout',
      () => probeSpec('tcp', { host: '127.0.0.1', port: tlsHang, tls: true }, {}, TIMEOUT_MS),
      /no connection within 1500ms/,
    ],
    [
      'headers that trickle in forever',
      'timeout',
      () => http(`http://127.0.0.1:${dripHeaders}/`),
      /while waiting for the response headers/,
    ],
  ])('%s is %s', async (_what, errorClass, spec, message) => {
    const r = await runTimed(spec());
    expect(r).toMatchObject({ outcome: 'down', errorClass });
    expect(r.message).toMatch(message);
  });

  it('resolves names through its own resolver, on the event loop, with IPv4 first', async () => {
    const r = await runTimed(http(`http://ok.vigil.test:${ok}/`));
    expect(r).toMatchObject({ outcome: 'up', errorClass: null });
    expect(r.phases.dnsMs).not.toBeNull();
    expect(resolver.queries).toEqual(
      expect.arrayContaining([
        { name: 'ok.vigil.test', type: 'A' },
        { name: 'ok.vigil.test', type: 'AAAA' },
      ]),
    );
  });

  it('stays on time while every threadpool thread is blocked (getaddrinfo would queue behind them)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-pool-'));
    const fifos = [0, 1, 2, 3].map((i) => join(dir, `f${i}`));
    for (const f of fifos) execFileSync('mkfifo', [f]);
    // opening a FIFO without a writer blocks the opening thread: libuv's 4 threads, one each
    const blocked = fifos.map((f) => readFile(f));
    try {
      const byName = await runTimed(http(`http://localhost:${ok}/`));
      const viaDns = await runTimed(http(`http://ok.vigil.test:${ok}/`));
      expect([byName.outcome, viaDns.outcome]).toEqual(['up', 'up']);
    } finally {
      for (const f of fifos) {
        const fd = openSync(f, 'w');
        writeSync(fd, 'x');
        closeSync(fd);
      }
      await Promise.all(blocked);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('responses that break HTTP are the target’s fault', () => {
  it.each([
    ['a 10 MB response header', () => hugeHeader],
    ['a response header that never ends', () => endlessHeader],
  ])('%s is http_protocol, at once', async (_what, port) => {
    const r = await runTimed(http(`http://127.0.0.1:${port()}/`));
    expect(r).toMatchObject({ outcome: 'down', errorClass: 'http_protocol' });
    expect(r.message).toMatch(/^response headers over the 16384 bytes allowed/);
    expect(r.phases.totalMs).toBeLessThan(TIMEOUT_MS);
  });
});

describe('shared TLS contexts', () => {
  let server: TlsServer & { port: number };
  const reused: boolean[] = [];
  let ca: string;

  beforeAll(async () => {
    const certs = await simulatorCerts();
    ca = certs.ca;
    server = await listen(
      createTlsServer({ ...certs.valid }, (s) => {
        track(s);
        reused.push(s.isSessionReused());
        s.end('HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok');
      }),
    );
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('resume no session: every run pays, and measures, a full handshake', async () => {
    for (let i = 0; i < 3; i++) {
      const r = await runProbe(
        probeSpec('http', { url: `https://localhost:${server.port}/`, tls: { ca } }),
        ctx,
      );
      expect(r).toMatchObject({ outcome: 'up' });
      expect(r.phases.tlsMs).not.toBeNull();
    }
    expect(reused).toEqual([false, false, false]);
  });
});
