import { mkdtemp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb, queryResults } from '@vigil/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, startSimulator, type Simulator, type TestDatabase } from '@vigil/testing';
import { killVigils, runVigil, spawnVigil } from './testing/cli.js';

let sim: Simulator;
let dir: string;

beforeAll(async () => {
  sim = await startSimulator();
  dir = await mkdtemp(join(tmpdir(), 'vigil-cli-'));
  await mkdir(join(dir, 'probes'));
  await writeFile(join(dir, 'vigil.yaml'), 'regions: [local]\n');
  await writeFile(
    join(dir, 'probes', 'fleet.yaml'),
    `defaults:
  interval: 5s
  timeout: 2s
probes:
  - id: stripe-balance
    name: Stripe balance
    provider: stripe
    service: payments
    http:
      url: ${sim.httpUrl}/stripe/v1/balance
      headers: { Authorization: 'Bearer \${env:SIM_TOKEN:-sk_test_cli}' }
    expect:
      status: 200
  - id: broken-api
    name: Broken API
    provider: acme
    service: search
    http:
      url: ${sim.httpUrl}/hostile/status-503
    expect:
      status: 200
`,
  );
  sim.set('/hostile/status-503', { mode: 'status', status: 503 });
});

afterAll(async () => {
  await killVigils();
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

describe('vigil validate', () => {
  it('accepts the example probes in the repository', async () => {
    const r = await runVigil(['validate', '--no-env']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^ok: \d+ probes in \d+ files/);
    expect(r.code).toBe(0);
  });

  it('exits 2 and names file, line, column and path of every problem', async () => {
    const bad = await mkdtemp(join(tmpdir(), 'vigil-bad-'));
    await writeFile(
      join(bad, 'api.yaml'),
      'probes:\n  - id: a\n    name: A\n    provider: p\n    service: s\n    timout: 5s\n    http: { url: "http://127.0.0.1:1" }\n',
    );
    const r = await runVigil(['-C', bad, 'validate']);
    await rm(bad, { recursive: true, force: true });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('api.yaml:6:5 probes[0].timout:');
  });

  it('reports a missing environment variable for the probe that needs it', async () => {
    const r = await runVigil(['-C', dir, 'validate'], { env: { SIM_TOKEN: undefined } });
    expect(r.code).toBe(0);
    const strict = await mkdtemp(join(tmpdir(), 'vigil-env-'));
    await writeFile(
      join(strict, 'x.yaml'),
      'probes:\n  - id: a\n    name: A\n    provider: p\n    service: s\n    http: { url: "http://127.0.0.1:1/${env:VIGIL_TEST_UNSET_VAR}" }\n',
    );
    const r2 = await runVigil(['-C', strict, 'validate'], { env: { VIGIL_TEST_UNSET_VAR: undefined } });
    await rm(strict, { recursive: true, force: true });
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain('missing environment variable VIGIL_TEST_UNSET_VAR');
  });
});

describe('vigil check', () => {
  it('prints one JSON result per probe and exits 1 when one is down', async () => {
    const r = await runVigil(['-C', dir, 'check', '--json']);
    expect(r.code).toBe(1);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as { probe: string; outcome: string; errorClass: string | null; httpStatus: number },
      );
    expect(lines.map((l) => [l.probe, l.outcome, l.errorClass])).toEqual([
      ['stripe-balance', 'up', null],
      ['broken-api', 'down', 'http_status'],
    ]);
    expect(r.stdout).not.toContain('sk_test_cli');
  });

  it('checks one probe by id and exits 0 when it is up', async () => {
    const r = await runVigil(['-C', dir, 'check', 'stripe-balance']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/✓ up {2}stripe-balance HTTP 200/);
    expect(r.stdout).toMatch(/dns .* · connect .* · tls – · ttfb .* · transfer/);
  });
});

describe('vigil run and plan on Postgres', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('plans every probe as new, runs them in one process, stores results and opens one notified incident for an outage', async () => {
    const plan = await runVigil(['-C', dir, 'plan'], { env: { DATABASE_URL: db.url } });
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('+ stripe-balance');
    expect(plan.stdout).toContain('2 to add, 0 to change, 0 to remove');

    const run = spawnVigil(['-C', dir, 'run'], {
      cwd: dir,
      env: { DATABASE_URL: db.url, VIGIL_STATE_DIR: join(dir, '.vigil') },
    });
    const h = await openDb({ url: db.url, poolSize: 1 });
    const all = () => queryResults(h.db, { from: new Date(0), to: new Date(Date.now() + 3_600_000) });
    // the outage alert written by the file channel (no channel is configured): results, evaluator and relay all ran
    const outboxDir = join(dir, '.vigil', 'outbox');
    const alerts = async () => readdir(outboxDir).catch(() => [] as string[]);
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && (await alerts()).length === 0)
      await new Promise((r) => setTimeout(r, 250));
    run.child.kill('SIGTERM');
    const stopped = await run.exit;
    expect(stopped.code).toBe(0);
    const stored = await all();
    await h.close();
    expect(stored.find((r) => r.probeId === 'stripe-balance')?.outcome).toBe('up');
    expect(stored.find((r) => r.probeId === 'broken-api')?.outcome).toBe('down');
    expect(new Set(stored.map((r) => r.region))).toEqual(new Set(['local']));

    const status = await runVigil(['-C', dir, 'status', '--json'], { env: { DATABASE_URL: db.url } });
    expect(status.code).toBe(0);
    const report = JSON.parse(status.stdout) as { probes: { key: string; state: string }[] };
    expect(report.probes.find((p) => p.key === 'broken-api')?.state).toBe('down');
    expect(report.probes.find((p) => p.key === 'stripe-balance')?.state).toBe('up');

    const incidents = await runVigil(['-C', dir, 'incidents', '--open', '--json'], {
      env: { DATABASE_URL: db.url },
    });
    const open = JSON.parse(incidents.stdout) as { key: string; kind: string; silent: boolean }[];
    expect(open.filter((i) => !i.silent).map((i) => [i.key, i.kind])).toEqual([['search', 'down']]);
    expect(open.map((i) => i.key).sort()).toEqual(['acme', 'broken-api', 'search']);
    const outbox = await alerts();
    expect(outbox.length).toBeGreaterThan(0);
    const written = await Promise.all(outbox.map((f) => readFile(join(outboxDir, f), 'utf8')));
    expect(written.join('\n')).toContain('search');
    expect(written.join('\n')).not.toContain('sk_test_cli');
    expect(stopped.stdout).toContain('"msg":"vigil running"');

    const again = await runVigil(['-C', dir, 'plan'], { env: { DATABASE_URL: db.url } });
    expect(again.stdout).toContain('0 to add, 0 to change, 0 to remove, 2 unchanged');
  }, 120_000);
});
