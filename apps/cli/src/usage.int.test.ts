import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertIncidents, migrate, openDb, type IncidentRow } from '@vigil/db';
import { createTestDatabase, type TestDatabase } from '@vigil/testing';
import { runVigil, type VigilOptions } from './testing/cli.js';

/** A hang guard: a child still running after this is killed, so a hang fails instead of waiting. */
const KILL_MS = 45_000;
/** a spawn of the bin (tsx) takes seconds on a loaded machine; the kill guard comes first */
const SPAWN = { timeout: KILL_MS + 15_000 };

/** The real bin, run in the test's config folder with its own state folder. */
const inDir = (o: VigilOptions = {}): VigilOptions => ({
  cwd: dir,
  killAfterMs: KILL_MS,
  ...o,
  env: { VIGIL_STATE_DIR: join(dir, '.vigil'), ...o.env },
});

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-usage-'));
  await mkdir(join(dir, 'probes'));
  await writeFile(join(dir, 'vigil.yaml'), 'regions: [eu-west, us-east]\n');
  await writeFile(
    join(dir, 'probes', 'apis.yaml'),
    `probes:
  - id: stripe-balance
    name: Stripe balance
    provider: stripe
    service: payments
    http: { url: 'http://127.0.0.1:9/v1/balance' }
`,
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('usage errors exit 2 (every option value is checked in main.test.ts)', SPAWN, () => {
  it('refuses a bad number before starting anything', async () => {
    const r = await runVigil(['run', '--no-table', '--concurrency', 'abc'], inDir());
    expect(r.stderr).toContain(
      "error: option '--concurrency <n>' argument 'abc' is invalid. expected a positive integer",
    );
    expect(r.stdout).toBe('');
    expect(r.code).toBe(2);
  });

  it('refuses a region that vigil.yaml does not configure, naming the configured ones', async () => {
    const r = await runVigil(['run', '--no-table', '--region', 'eu-west', 'mars'], inDir());
    expect(r.stderr).toBe('vigil: --region mars: not in vigil.yaml regions (eu-west, us-east)\n');
    expect(r.stdout).not.toContain('vigil running');
    expect(r.code).toBe(2);
  });

  it('names the config folder that does not exist', async () => {
    const missing = join(dir, 'no-such-folder');
    const r = await runVigil(['-C', missing, 'validate'], inDir());
    expect(r.stderr).toBe(`vigil: config folder ${missing} (-C): no such folder\n`);
    expect(r.code).toBe(2);
  });
});

describe('validate on files that are not probe files', SPAWN, () => {
  it('refuses a FIFO instead of waiting on it', async () => {
    const fifo = join(dir, 'pipe.yaml');
    execFileSync('mkfifo', [fifo]);
    const r = await runVigil(['validate', 'pipe.yaml'], inDir());
    await rm(fifo);
    expect(r.stderr).toContain('pipe.yaml:1:1: not a regular file (fifo)');
    expect(r.code).toBe(2);
  });

  it('does not print the content of a text file that is not YAML', async () => {
    await writeFile(
      join(dir, 'passwd'),
      'root:x:0:0:root:/root:/bin/bash\nbackup:x:34:34:backup token s3cr3t:/var/backups:/usr/sbin/nologin\n',
    );
    const r = await runVigil(['validate', 'passwd'], inDir());
    expect(r.stderr).toContain('passwd:1:1: expected a map with a "probes:" list, got plain text');
    expect(r.stderr).not.toContain('root:x');
    expect(r.stderr).not.toContain('s3cr3t');
    expect(r.code).toBe(2);
  });

  it('reports where the file stops being UTF-8', async () => {
    await writeFile(join(dir, 'latin1.yaml'), Buffer.from('probes:\n  - id: café\n', 'latin1'));
    const r = await runVigil(['validate', 'latin1.yaml'], inDir());
    expect(r.stderr).toContain('latin1.yaml:2:12: not valid UTF-8: byte 0xe9 at offset 19');
    expect(r.code).toBe(2);
  });
});

describe('a reader that goes away', SPAWN, () => {
  it('ends the command quietly, as `git log | head` does', async () => {
    const r = await runVigil(['validate', '--no-env'], inDir({ closeStdout: true }));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});

describe('vigil silence', SPAWN, () => {
  let db: TestDatabase;
  const incident = (id: string, resolvedAt: Date | null): IncidentRow => ({
    id,
    scope: 'probe',
    key: 'stripe-balance',
    kind: 'down',
    severity: 'page',
    title: 'Stripe balance is down',
    provider: 'stripe',
    service: 'payments',
    probeId: 'stripe-balance',
    openedAt: new Date(Date.now() - 3_600_000),
    resolvedAt,
    parentId: null,
    silent: false,
    flapping: false,
    detail: {},
    updatedAt: new Date(),
    acknowledgedAt: null,
    acknowledgedBy: null,
    acknowledgeNote: null,
  });

  beforeAll(async () => {
    db = await createTestDatabase();
    const h = await openDb({ url: db.url, poolSize: 1 });
    await migrate(h);
    await insertIncidents(h.db, [
      incident('inc_open0000000001', null),
      incident('inc_resolved000001', new Date(Date.now() - 60_000)),
    ]);
    await h.close();
  });
  afterAll(async () => {
    await db.drop();
  });

  it.each(['stripe', 'inc_open0000000001'])(
    'silences %s, which the config or an open incident names',
    async (id) => {
      const r = await runVigil(['silence', id, '--for', '2h'], inDir({ env: { DATABASE_URL: db.url } }));
      expect(r.stdout).toMatch(new RegExp(`^silenced ${id} until `));
      expect(r.code).toBe(0);
    },
  );

  it.each(['stripe-balanse', 'inc_resolved000001'])('refuses %s, naming what can be silenced', async (id) => {
    const r = await runVigil(['silence', id, '--for', '2h'], inDir({ env: { DATABASE_URL: db.url } }));
    expect(r.stderr).toContain(`vigil: nothing named "${id}" to silence`);
    expect(r.stderr).toContain('probes:    stripe-balance');
    expect(r.stderr).toContain('regions:   eu-west, us-east');
    expect(r.stderr).toContain('open incidents: vigil incidents --open');
    expect(r.stdout).toBe('');
    expect(r.code).toBe(2);
  });
});
