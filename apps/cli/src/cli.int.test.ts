import { spawn } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, startSimulator, type Simulator, type TestDatabase } from '@vigil/testing';

const repo = join(import.meta.dirname, '..', '..', '..');
const bin = join(repo, 'apps', 'cli', 'bin', 'vigil.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function vigil(args: string[], env: Record<string, string | undefined> = {}, cwd = repo): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd,
      env: { ...process.env, DATABASE_URL: undefined, REDIS_URL: undefined, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

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
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

describe('vigil validate', () => {
  it('accepts the example probes in the repository', async () => {
    const r = await vigil(['validate', '--no-env']);
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
    const r = await vigil(['-C', bad, 'validate']);
    await rm(bad, { recursive: true, force: true });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('api.yaml:6:5 probes[0].timout:');
  });

  it('reports a missing environment variable for the probe that needs it', async () => {
    const r = await vigil(['-C', dir, 'validate'], { SIM_TOKEN: undefined });
    expect(r.code).toBe(0);
    const strict = await mkdtemp(join(tmpdir(), 'vigil-env-'));
    await writeFile(
      join(strict, 'x.yaml'),
      'probes:\n  - id: a\n    name: A\n    provider: p\n    service: s\n    http: { url: "http://127.0.0.1:1/${env:VIGIL_TEST_UNSET_VAR}" }\n',
    );
    const r2 = await vigil(['-C', strict, 'validate'], { VIGIL_TEST_UNSET_VAR: undefined });
    await rm(strict, { recursive: true, force: true });
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain('missing environment variable VIGIL_TEST_UNSET_VAR');
  });
});

describe('vigil check', () => {
  it('prints one JSON result per probe and exits 1 when one is down', async () => {
    const r = await vigil(['-C', dir, 'check', '--json']);
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
    const r = await vigil(['-C', dir, 'check', 'stripe-balance']);
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

  it('plans every probe as new, then runs them in one process and stores their results', async () => {
    const plan = await vigil(['-C', dir, 'plan'], { DATABASE_URL: db.url });
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('+ stripe-balance');
    expect(plan.stdout).toContain('2 to add, 0 to change, 0 to remove');

    const child = spawn(process.execPath, [bin, '-C', dir, 'run'], {
      cwd: dir,
      env: {
        ...process.env,
        DATABASE_URL: db.url,
        REDIS_URL: undefined,
        VIGIL_STATE_DIR: join(dir, '.vigil'),
      },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    let rows: { probe_id: string; outcome: string }[] = [];
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && new Set(rows.map((r) => r.probe_id)).size < 2) {
      await new Promise((r) => setTimeout(r, 250));
      rows = (await client.query('select probe_id, outcome from probe_results')).rows;
    }
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const stored = (
      await client.query('select probe_id, outcome, region from probe_results order by probe_id')
    ).rows as { probe_id: string; outcome: string; region: string }[];
    await client.end();
    expect(stored.find((r) => r.probe_id === 'stripe-balance')?.outcome).toBe('up');
    expect(stored.find((r) => r.probe_id === 'broken-api')?.outcome).toBe('down');
    expect(new Set(stored.map((r) => r.region))).toEqual(new Set(['local']));
    expect(out).toContain('"msg":"vigil running"');

    const again = await vigil(['-C', dir, 'plan'], { DATABASE_URL: db.url });
    expect(again.stdout).toContain('0 to add, 0 to change, 0 to remove, 2 unchanged');
  });
});
