import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DAY_MS, HOUR_MS } from '@vigil/core';
import { migrate, openDb } from '@vigil/db';
import { startApiRole } from '@vigil/api';
import { createLogger } from '@vigil/runtime';
import { isType, startChild } from './children.js';
import { benchConfig, benchProbe, seedRollups } from './evaluator-load.js';

export interface BenchApiOptions {
  databaseUrl: string;
  /** @defaultValue 1 000 */
  probes?: number;
  /** @defaultValue 90 */
  days?: number;
  /** concurrent clients; @defaultValue 100 */
  connections?: number;
  /** per path; @defaultValue 10 */
  seconds?: number;
  /** `gzip`: the client sends `Accept-Encoding: gzip` (as browsers do); the key gets a `_gzip` suffix */
  paths: (string | { path: string; gzip: true })[];
}

export interface LoadFigures {
  p50_ms: number;
  p99_ms: number;
  rps: number;
  non_2xx: number;
  errors: number;
}

const require = createRequire(import.meta.url);

/** autocannon in a process of its own (its client work must not share the server's event loop). */
function autocannon(
  url: string,
  connections: number,
  seconds: number,
  headers: readonly string[] = [],
): Promise<LoadFigures> {
  const bin = require.resolve('autocannon/autocannon.js');
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        bin,
        '-j',
        '-c',
        String(connections),
        '-d',
        String(seconds),
        ...headers.flatMap((h) => ['-H', h]),
        url,
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`autocannon exited ${code}: ${err.slice(-500)}`));
      const r = JSON.parse(out) as {
        latency: { p50: number; p99: number };
        requests: { average: number };
        non2xx: number;
        errors: number;
      };
      resolve({
        p50_ms: r.latency.p50,
        p99_ms: r.latency.p99,
        rps: Math.round(r.requests.average),
        non_2xx: r.non2xx,
        errors: r.errors,
      });
    });
  });
}

/**
 * The web surface over `probes` × `days` of stored history (probe, provider and service rollups), with the
 * evaluator ticking every second and results arriving for every probe each minute, under `connections`
 * concurrent clients per path.
 */
export async function benchApi(o: BenchApiOptions): Promise<Record<string, number>> {
  const n = o.probes ?? 1_000;
  const days = o.days ?? 90;
  const run = randomBytes(3).toString('hex');
  const probes = Array.from({ length: n }, (_, i) => benchProbe(`a${run}-${i}`, i, ['r0'], 60_000));
  const cfg = benchConfig(probes, ['r0']);
  const h = await openDb({ url: o.databaseUrl, poolSize: 8 });
  const out: Record<string, number> = { probes: n, days };
  try {
    await migrate(h);
    const end = Date.now();
    const subjects = [
      ...probes,
      ...[...new Set(probes.map((p) => p.provider))].map((id) => ({ id: `provider:${id}` })),
      ...[...new Set(probes.map((p) => p.service))].map((id) => ({ id: `service:${id}` })),
    ];
    await seedRollups(h, subjects, end - days * DAY_MS, end - HOUR_MS);
    // the results and the evaluator in a child process (see api-writer.ts), then one tick to settle
    const writer = startChild({
      name: 'api-writer',
      entry: 'bench/children/api-writer.ts',
      env: {},
      logFile: join(tmpdir(), `vigil-bench-api-writer-${run}.log`),
    });
    await writer.waitFor((m) => isType(m, 'ready'), 60_000);
    writer.send({ type: 'start', databaseUrl: o.databaseUrl, run, probes: n, maxMs: 15 * 60_000 });
    await writer.waitFor((m) => isType(m, 'started'), 120_000);
    const api = await startApiRole({
      db: h.db,
      config: () => cfg,
      clock: { now: () => Date.now() },
      log: createLogger('bench-api', { level: 'warn' }),
      env: {},
      port: 0,
      localAccess: true,
    });
    try {
      for (const entry of o.paths) {
        const { path, gzip } = typeof entry === 'string' ? { path: entry, gzip: false } : entry;
        const headers = [`accept-encoding: ${gzip ? 'gzip' : 'identity'}`];
        // one warm request: the first render fills caches a real deployment keeps warm
        const first = performance.now();
        const res = await fetch(`${api.url}${path}`, {
          headers: { 'accept-encoding': gzip ? 'gzip' : 'identity' },
        });
        const bytes = (await res.arrayBuffer()).byteLength;
        const key =
          (path === '/' ? 'status_page' : path.replace(/^\//, '').replace(/[^a-z0-9]+/gi, '_')) +
          (gzip ? '_gzip' : '');
        out[`${key}_first_ms`] = Math.round(performance.now() - first);
        out[`${key}_status`] = res.status;
        out[`${key}_kb`] = Math.round(Number(res.headers.get('content-length') ?? bytes) / 1024);
        const f = await autocannon(`${api.url}${path}`, o.connections ?? 100, o.seconds ?? 10, headers);
        for (const [k, v] of Object.entries(f)) out[`${key}_${k}`] = v;
      }
    } finally {
      await writer.stop();
      await api.close();
    }
  } finally {
    await h.close();
  }
  return out;
}
