import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@vigil/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runVigil } from '../testing/cli.js';

const probe = (id: string) =>
  `  - { id: ${id}, name: ${id}, provider: stripe, service: payments, interval: 30s, http: { url: "https://stripe.example/${id}" } }\n`;

describe('vigil validate and vigil plan, on probes over their provider rate limit', () => {
  let db: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    db = await createTestDatabase('vigil_plan_rl');
    dir = await mkdtemp(join(tmpdir(), 'vigil-plan-rl-'));
    await mkdir(join(dir, 'probes'));
    // 2 probes every 30 s in 3 regions: 12 requests a minute against a budget of 10
    await writeFile(
      join(dir, 'vigil.yaml'),
      'regions: [eu, us, ap]\nproviders:\n  stripe:\n    rateLimit: { requests: 10, per: 1m }\n',
    );
    await writeFile(join(dir, 'probes', 'p.yaml'), `probes:\n${probe('balance')}${probe('charges')}`);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await db.drop();
  });

  const warning =
    'vigil.yaml:4:5 providers.stripe.rateLimit: warning: the probes of provider "stripe" plan 12 requests per 1m (runs × regions), over its budget of 10 per 1m';

  it('validate warns at the budget, naming the provider, the budget and the planned requests (exit 0)', async () => {
    const r = await runVigil(['-C', dir, 'validate'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(warning);
    expect(r.stdout).toContain('ok: 2 probes');
  }, 60_000);

  it('plan says so too, and lists each budget against its planned requests', async () => {
    const r = await runVigil(['-C', dir, 'plan'], { cwd: dir, env: { DATABASE_URL: db.url } });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(warning);
    expect(r.stdout).toContain(
      'Rate limits:\n  stripe: 12 of 10 requests per 1m planned  OVER BUDGET: the slots beyond it are recorded rate_limited',
    );
  }, 60_000);
});
