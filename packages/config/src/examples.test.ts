import path from 'node:path';
import { channelConfigSchemas } from '@vigil/notify';
import { probeKindSchemas } from '@vigil/probes';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from './diagnostics.js';
import { loadConfig } from './load.js';

const REPO = path.resolve(import.meta.dirname, '../../..');
const allEnv = new Proxy({}, { get: () => 'set' }) as Record<string, string>;

describe('the repository probes', () => {
  it.each([
    ['the example probes and vigil.yaml', REPO],
    ['the demo probes', path.join(REPO, 'probes/demo')],
  ])('%s validate with the real probe kinds and channel types', async (_what, root) => {
    const r = await loadConfig({
      root,
      kinds: probeKindSchemas,
      channelTypes: channelConfigSchemas,
      env: allEnv,
    });
    expect(r.diagnostics.map(formatDiagnostic)).toEqual([]);
    expect(r.config?.probes.length).toBeGreaterThan(5);
  });

  it('keep every secret behind an env reference', async () => {
    const r = await loadConfig({ root: REPO, kinds: probeKindSchemas });
    const needing = r.config?.probes.filter((p) => JSON.stringify(p.spec).includes('${env:')) ?? [];
    expect(needing.map((p) => p.id)).toEqual(
      expect.arrayContaining(['stripe-balance', 'paypal-token', 'algolia-search', 'meta-graph-api']),
    );
    expect(JSON.stringify(r.config)).not.toMatch(/sk_live|Bearer [A-Za-z0-9]/);
  });
});
