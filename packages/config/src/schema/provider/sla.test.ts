import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../diagnostics.js';
import { loadConfig } from '../../load.js';
import { testKinds } from '../../testing/kinds.js';
import { providerOf } from '../providers.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'vigil-sla-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const PROBES = `probes:
  - id: a
    name: a
    provider: stripe
    service: payments
    http: { url: "https://example.com/health" }
`;

async function load(providers: string) {
  await mkdir(path.join(root, 'probes'), { recursive: true });
  await writeFile(path.join(root, 'probes/p.yaml'), PROBES);
  await writeFile(path.join(root, 'vigil.yaml'), `timezone: UTC\nproviders:\n${providers}`);
  const r = await loadConfig({ root, kinds: testKinds });
  return { config: r.config, lines: r.diagnostics.map(formatDiagnostic) };
}

describe('providers.<name>.sla', () => {
  it('reads target, window, zone and credit tiers as fractions', async () => {
    const { config, lines } = await load(`  stripe:
    sla:
      target: 99.9%
      window: quarter
      tz: America/Los_Angeles
      credits:
        - { below: 99.9%, credit: 10% }
        - { below: 99%, credit: 25% }
        - { below: 95, credit: 100 }
`);
    expect(lines).toEqual([]);
    expect(providerOf(config!, 'stripe').sla).toEqual({
      target: 0.999,
      window: 'quarter',
      tz: 'America/Los_Angeles',
      credits: [
        { below: 0.999, credit: 0.1 },
        { below: 0.99, credit: 0.25 },
        { below: 0.95, credit: 1 },
      ],
    });
  });

  it('defaults to a monthly window without credits', async () => {
    const { config, lines } = await load(`  stripe:\n    sla: { target: 99.95% }\n`);
    expect(lines).toEqual([]);
    expect(providerOf(config!, 'stripe').sla).toEqual({ target: 0.9995, window: 'month', credits: [] });
    expect(providerOf(config!, 'paypal').sla).toBeUndefined();
  });

  it('names the path of a tier out of order, a credit that falls, a tier above the target', async () => {
    const { config, lines } = await load(`  stripe:
    sla:
      target: 99.9%
      credits:
        - { below: 99.95%, credit: 10% }
        - { below: 99.95%, credit: 20% }
        - { below: 99%, credit: 5% }
`);
    expect(config).toBeNull();
    expect(lines).toEqual([
      'vigil.yaml:7:13 providers.stripe.sla.credits[0].below: a credit tier applies below the target at most: 99.95% is above target 99.9%',
      'vigil.yaml:8:13 providers.stripe.sla.credits[1].below: a credit tier applies below the target at most: 99.95% is above target 99.9%',
      'vigil.yaml:8:13 providers.stripe.sla.credits[1].below: credit tiers go from the mildest down: expected below < 99.95% (credits[0]), got 99.95%',
      'vigil.yaml:9:25 providers.stripe.sla.credits[2].credit: a worse tier credits at least as much: expected credit >= 20% (credits[1]), got 5%',
    ]);
  });

  it('rejects a credit over 100%, a missing target, an unknown window or key', async () => {
    const { lines } = await load(`  stripe:
    sla:
      window: year
      credits: [{ below: 99%, credit: 150% }]
      refund: all
`);
    expect(lines.map((l) => l.replace(/^vigil\.yaml:\d+:\d+ /, ''))).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^providers\.stripe\.sla\.target: required/),
        expect.stringMatching(/^providers\.stripe\.sla\.window: /),
        expect.stringMatching(/^providers\.stripe\.sla\.credits\[0\]\.credit: expected a percentage/),
        expect.stringMatching(/^providers\.stripe\.sla\.refund: unknown key "refund"/),
      ]),
    );
  });
});
