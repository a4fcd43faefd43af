import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { probeKindSchemas } from '@vigil/probes';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatDiagnostic } from './diagnostics.js';
import { loadConfig } from './load.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'vigil-heartbeat-'));
  await mkdir(path.join(root, 'probes'));
  await writeFile(path.join(root, 'vigil.yaml'), 'regions: [eu]\n');
});
afterEach(() => rm(root, { recursive: true, force: true }));

async function load(probe: string) {
  await writeFile(path.join(root, 'probes', 'push.yaml'), `probes:\n${probe}`);
  const r = await loadConfig({ root, kinds: probeKindSchemas, env: { STRIPE_HB: 'x' } });
  return { config: r.config, lines: r.diagnostics.map(formatDiagnostic) };
}

const base = `  - id: stripe-webhooks
    name: Stripe webhooks arrive
    provider: stripe
    service: payments
`;

describe('a heartbeat probe in a probe file', () => {
  it('validates with an ${env:…} token, an interval and a grace (default 1m)', async () => {
    const r = await load(`${base}    interval: 5m\n    heartbeat: { token: '\${env:STRIPE_HB}' }\n`);
    expect(r.lines).toEqual([]);
    expect(r.config?.probes[0]).toMatchObject({
      kind: 'heartbeat',
      schedule: { type: 'interval', everyMs: 300_000 },
      spec: { token: '${env:STRIPE_HB}', grace: '1m' },
    });
  });

  it('refuses a literal token without printing it, and a cron schedule', async () => {
    const r = await load(
      `${base}    schedule: { cron: '0 * * * *' }\n    heartbeat: { token: hb-literal-secret, grace: 10m }\n`,
    );
    expect(r.config).toBeNull();
    expect(r.lines).toEqual([
      'probes/push.yaml:6:5 probes[0].schedule: a heartbeat probe is pinged every `interval`: use interval (and heartbeat.grace), not schedule',
      'probes/push.yaml:7:18 probes[0].heartbeat.token: the token must be a ${env:NAME} reference (without a default), never the token itself',
    ]);
    expect(r.lines.join('\n')).not.toContain('hb-literal-secret');
  });
});
