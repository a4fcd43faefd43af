import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../diagnostics.js';
import { loadConfig } from '../../load.js';
import { testKinds } from '../../testing/kinds.js';
import { providerOf } from '../providers.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'vigil-statuspage-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function load(vigil: string) {
  await writeFile(path.join(root, 'vigil.yaml'), vigil);
  const r = await loadConfig({ root, kinds: testKinds, paths: [] });
  return { config: r.config, lines: r.diagnostics.map(formatDiagnostic) };
}

describe('providers.<name>.statusPage', () => {
  it('reads a Statuspage summary with its defaults (format statuspage, every 2m, 10s timeout)', async () => {
    const { config, lines } = await load(
      'providers:\n  stripe:\n    name: Stripe\n    statusPage:\n      url: https://status.stripe.com/api/v2/summary.json\n      components: [API, Dashboard]\n',
    );
    expect(lines).toEqual([]);
    expect(providerOf(config!, 'stripe').statusPage).toEqual({
      url: 'https://status.stripe.com/api/v2/summary.json',
      format: 'statuspage',
      components: ['API', 'Dashboard'],
      interval: 120_000,
      timeout: 10_000,
      excludeDeclaredMaintenance: false,
    });
    expect(providerOf(config!, 'paypal').statusPage).toBeUndefined();
  });

  it('refuses to poll more often than once a minute', async () => {
    const { lines } = await load(
      'providers:\n  stripe:\n    statusPage:\n      url: https://status.stripe.com/api/v2/summary.json\n      interval: 30s\n',
    );
    expect(lines.join('\n')).toMatch(/interval.*expected at least 1m, got "30s"/);
  });

  it('takes a ${env:} URL (the demo points at the simulator) and rejects anything else', async () => {
    const ok = await load(
      'providers:\n  stripe:\n    statusPage:\n      url: ${env:SIM_URL:-http://127.0.0.1:4010}/stripe-status/api/v2/summary.json\n',
    );
    expect(ok.lines).toEqual([]);
    const bad = await load('providers:\n  stripe:\n    statusPage:\n      url: status.stripe.com\n');
    expect(bad.lines.join('\n')).toMatch(/url.*expected an http\(s\) URL/);
  });

  it('a json status API needs a mapping with JSONPath-like paths; statuspage takes none', async () => {
    const mapped = await load(
      [
        'providers:',
        '  acme:',
        '    statusPage:',
        '      url: https://status.acme.example/api/status',
        '      format: json',
        '      excludeDeclaredMaintenance: true',
        '      mapping:',
        '        indicator: $.overall.state',
        '        incidents: { list: $.events, id: $.uid, title: $.summary, impact: $.level }',
        '        values: { green: none, amber: minor, red: major }',
      ].join('\n') + '\n',
    );
    expect(mapped.lines).toEqual([]);
    const sp = providerOf(mapped.config!, 'acme').statusPage!;
    expect(sp.format).toBe('json');
    expect(sp.excludeDeclaredMaintenance).toBe(true);
    expect(sp.mapping?.incidents).toEqual({
      list: '$.events',
      id: '$.uid',
      title: '$.summary',
      impact: '$.level',
    });
    expect(sp.mapping?.values).toEqual({ green: 'none', amber: 'minor', red: 'major' });

    const missing = await load(
      'providers:\n  acme:\n    statusPage:\n      url: https://status.acme.example/api/status\n      format: json\n',
    );
    expect(missing.lines.join('\n')).toMatch(/mapping.*required with format: json/);
    const badPath = await load(
      'providers:\n  acme:\n    statusPage:\n      url: https://s.example/x\n      format: json\n      mapping: { indicator: status.indicator }\n',
    );
    expect(badPath.lines.join('\n')).toMatch(/expected a path like "\$\.status\.indicator"/);
    const extra = await load(
      'providers:\n  stripe:\n    statusPage:\n      url: https://s.example/x\n      mapping: { indicator: $.a }\n',
    );
    expect(extra.lines.join('\n')).toMatch(/only with format: json/);
  });
});
