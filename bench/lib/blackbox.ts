import { execFile, spawn } from 'node:child_process';
import { access, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Pool } from 'undici';
import { BenchError } from './errors.js';

const run = promisify(execFile);
const BINARY = '/usr/bin/prometheus-blackbox-exporter';
const PACKAGE = 'prometheus-blackbox-exporter';

/** Pure: the exporter's config, one module like Prometheus' usual `http_2xx` (IPv4, plain GET). */
export function blackboxConfig(timeoutMs: number): string {
  return [
    'modules:',
    '  http_2xx:',
    '    prober: http',
    `    timeout: ${timeoutMs}ms`,
    '    http:',
    '      preferred_ip_protocol: ip4',
    '      ip_protocol_fallback: false',
    '',
  ].join('\n');
}

/** The exporter's binary; installs the Debian package when it is missing. */
export async function ensureBlackbox(log: (msg: string) => void): Promise<string> {
  if (await exists(BINARY)) return BINARY;
  log(`installing ${PACKAGE} (apt-get)`);
  try {
    await run('apt-get', ['install', '-y', '--no-install-recommends', PACKAGE], {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      timeout: 300_000,
    });
  } catch (cause) {
    throw new BenchError('BLACKBOX_MISSING', `could not install ${PACKAGE}`, { cause });
  }
  if (!(await exists(BINARY))) throw new BenchError('BLACKBOX_MISSING', `${BINARY} missing after install`);
  return BINARY;
}

export interface Blackbox {
  pid: number;
  /** `http://127.0.0.1:<port>` */
  url: string;
  stop(): Promise<void>;
}

/** Starts the exporter on a free loopback port with the config above and waits until it is healthy. */
export async function startBlackbox(binary: string, dir: string, timeoutMs: number): Promise<Blackbox> {
  const config = join(dir, 'blackbox.yml');
  await writeFile(config, blackboxConfig(timeoutMs));
  const port = await freePort();
  const proc = spawn(
    binary,
    [`--config.file=${config}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  proc.stderr.on('data', (b: Buffer) => {
    stderr = (stderr + b.toString()).slice(-2000);
  });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
    await exited;
  };
  if (proc.pid === undefined) throw new BenchError('BLACKBOX_START', 'blackbox_exporter did not start');
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) break;
    const ok = await fetch(`${url}/-/healthy`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { pid: proc.pid, url, stop };
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new BenchError('BLACKBOX_START', `blackbox_exporter not healthy within 10 s: ${stderr.trim()}`);
}

export interface DriveResult {
  ok: number;
  failed: number;
  ms: number;
  /** the last request error or failed probe, for the report */
  lastFailure: string | null;
}

/**
 * Drives the exporter the way Prometheus scrapes it (`/probe?target=…&module=http_2xx`), from
 * `concurrency` loops until `durationMs` has passed; a probe is ok when it reports `probe_success 1`.
 */
export async function driveBlackbox(
  bb: { url: string },
  target: string,
  concurrency: number,
  durationMs: number,
): Promise<DriveResult> {
  const pool = new Pool(bb.url, { connections: concurrency, pipelining: 1 });
  const path = `/probe?module=http_2xx&target=${encodeURIComponent(target)}`;
  const out: DriveResult = { ok: 0, failed: 0, ms: 0, lastFailure: null };
  const t0 = performance.now();
  const end = t0 + durationMs;
  const loop = async () => {
    while (performance.now() < end) {
      try {
        const res = await pool.request({ path, method: 'GET' });
        const text = await res.body.text();
        if (res.statusCode === 200 && /^probe_success 1$/m.test(text)) out.ok++;
        else {
          out.failed++;
          out.lastFailure = `HTTP ${res.statusCode}: ${text.slice(0, 200)}`;
        }
      } catch (err) {
        out.failed++;
        out.lastFailure = err instanceof Error ? err.message : String(err);
        await new Promise((r) => setTimeout(r, 10));
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  out.ms = performance.now() - t0;
  await pool.close();
  return out;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** A free TCP port on 127.0.0.1 (released just before the exporter binds it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}
