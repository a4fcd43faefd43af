import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeHash } from '@vigil/config';
import { migrate, openDb, upsertProbes } from '@vigil/db';
import { loadVigilConfig } from '@vigil/runtime';
import { createTestDatabase, type TestDatabase } from '@vigil/testing';
import { runVigil } from '../testing/cli.js';

const probes = (ids: string[]) =>
  `probes:\n${ids
    .map(
      (id) =>
        `  - { id: ${id}, name: ${id}, provider: acme, service: widgets, http: { url: "https://acme.example/${id}" } }\n`,
    )
    .join('')}`;

describe('vigil plan, on a change that removes probes', () => {
  let db: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    db = await createTestDatabase('vigil_plan');
    dir = await mkdtemp(join(tmpdir(), 'vigil-plan-'));
    await mkdir(join(dir, 'probes'));
    await writeFile(join(dir, 'vigil.yaml'), 'regions: [local]\n');
    await writeFile(join(dir, 'probes', 'a.yaml'), probes(['a1', 'a2', 'a3']));
    await writeFile(join(dir, 'probes', 'b.yaml'), probes(['b1', 'b2']));
    const { config } = await loadVigilConfig({ root: dir });
    const h = await openDb({ url: db.url, poolSize: 1 });
    try {
      await migrate(h);
      await upsertProbes(
        h.db,
        config!.probes.map((spec) => ({ spec, hash: probeHash(spec) })),
        new Date(),
      );
    } finally {
      await h.close();
    }
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await db.drop();
  });

  it('prints a loud warning when more than half of the stored probes would go', async () => {
    await rm(join(dir, 'probes', 'a.yaml'));
    const r = await runVigil(['-C', dir, 'plan'], { cwd: dir, env: { DATABASE_URL: db.url } });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('0 to add, 0 to change, 3 to remove, 2 unchanged');
    expect(r.stdout).toContain(
      'WARNING: this removes 3 of 5 probes (60%), more than half: check that no probe file went missing',
    );
  }, 60_000);

  it('prints no warning for a removal of half or less', async () => {
    await writeFile(join(dir, 'probes', 'a.yaml'), probes(['a1', 'a2', 'a3']));
    await rm(join(dir, 'probes', 'b.yaml'));
    const r = await runVigil(['-C', dir, 'plan'], { cwd: dir, env: { DATABASE_URL: db.url } });
    expect(r.stdout).toContain('0 to add, 0 to change, 2 to remove, 3 unchanged');
    expect(r.stdout).not.toContain('WARNING');
  }, 60_000);
});
