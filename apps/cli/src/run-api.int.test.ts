import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSimulator, waitUntil, type Simulator } from '@vigil/testing';
import { killVigils, spawnVigil, type VigilProcess } from './testing/cli.js';

let sim: Simulator;
let dir: string;
let taken: Server;

beforeAll(async () => {
  sim = await startSimulator();
  dir = await mkdtemp(join(tmpdir(), 'vigil-run-api-'));
  await mkdir(join(dir, 'probes'));
  await writeFile(join(dir, 'vigil.yaml'), 'regions: [local]\n');
  await writeFile(
    join(dir, 'probes', 'one.yaml'),
    `probes:
  - id: stripe-balance
    name: Stripe balance
    provider: stripe
    service: payments
    interval: 5s
    timeout: 2s
    http:
      url: ${sim.httpUrl}/stripe/v1/balance
`,
  );
  taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
});

afterAll(async () => {
  await killVigils();
  await new Promise((r) => taken.close(r));
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

/** The `vigil running` log line of `run`, once it is there. */
const running = (run: VigilProcess) =>
  waitUntil(
    'vigil running',
    () =>
      run
        .output()
        .split('\n')
        .map((l) => (l.startsWith('{') ? (JSON.parse(l) as { msg?: string; api?: string | null }) : {}))
        .find((l) => l.msg === 'vigil running'),
    // a hang guard, not a measurement: a fresh PGlite store takes ~10 s to create, over a minute when loaded
    180_000,
    100,
  );

it('serves the web surface from vigil run on the port asked, local requests without a token', async () => {
  const run = spawnVigil(['-C', dir, 'run', '--no-table', '--port', '0'], {
    cwd: dir,
    env: { VIGIL_STATE_DIR: join(dir, '.vigil-a') },
  });
  const line = await running(run);
  expect(line.api).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(run.output()).toContain('"msg":"api listening; local requests need no token"');
  const health = await fetch(`${line.api}/healthz`);
  expect(await health.text()).toBe('ok');
  const status = await fetch(`${line.api}/api/v1/status`);
  expect(status.status).toBe(200);
  expect(((await status.json()) as { probes: { key: string }[] }).probes.map((p) => p.key)).toEqual([
    'stripe-balance',
  ]);
  const page = await fetch(`${line.api}/`);
  expect(page.headers.get('content-type')).toMatch(/text\/html/);
  run.child.kill('SIGTERM');
  expect((await run.exit).code).toBe(0);
}, 240_000);

it('runs the probes on when the port is taken, and says why there is no web surface', async () => {
  const { port } = taken.address() as AddressInfo;
  const run = spawnVigil(['-C', dir, 'run', '--no-table', '--port', String(port)], {
    cwd: dir,
    env: { VIGIL_STATE_DIR: join(dir, '.vigil-b') },
  });
  const line = await running(run);
  expect(line.api).toBeNull();
  expect(run.output()).toContain('web surface not started: its address is not available');
  await waitUntil('a probe result', () => run.output().includes('"msg":"probe state"'), 60_000, 100);
  run.child.kill('SIGTERM');
  expect((await run.exit).code).toBe(0);
}, 240_000);
