import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatDiagnostic } from './diagnostics.js';
import { testChannelTypes } from './testing/fixtures.js';
import { loadConfig } from './load.js';
import { testKinds } from './testing/kinds.js';
import type { LoadOptions } from './types.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'vigil-config-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function write(files: Record<string, string>): Promise<void> {
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    await writeFile(path.join(root, rel), text);
  }
}

const load = async (opts: Partial<LoadOptions> = {}) => {
  const r = await loadConfig({ root, kinds: testKinds, ...opts });
  return { ...r, lines: r.diagnostics.map(formatDiagnostic) };
};

const probe = (id: string, extra = '') =>
  `  - id: ${id}\n    name: ${id}\n    provider: acme\n    service: widgets\n${extra}    http: { url: "https://\${env:HOST}/health" }\n`;

describe('loadConfig', () => {
  it('keeps env references unresolved in the specs it returns, even with env given', async () => {
    await write({ 'probes/p.yaml': `probes:\n${probe('a')}` });
    const { config, lines } = await load({ env: { HOST: 'secret-host.internal' } });
    expect(lines).toEqual([]);
    expect(config?.probes[0]?.spec.url).toBe('https://${env:HOST}/health');
    expect(JSON.stringify(config)).not.toContain('secret-host');
  });

  it('does not check env references when no env is given', async () => {
    await write({ 'probes/p.yaml': `probes:\n${probe('a')}` });
    expect((await load()).lines).toEqual([]);
    expect((await load({ env: {} })).lines).toEqual([
      'probes/p.yaml:6:13 probes[0].http.url: missing environment variable HOST',
    ]);
  });

  it('rejects a file over 1 MiB before parsing it', async () => {
    await write({ 'probes/big.yaml': `probes: []\n#${'x'.repeat(1024 * 1024)}\n` });
    const { config, lines } = await load();
    expect(config).toBeNull();
    expect(lines).toEqual(['probes/big.yaml:1:1: file is 1048589 bytes, larger than the 1 MiB limit']);
  });

  it('rejects a billion-laughs alias bomb quickly', async () => {
    const levels = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
    for (let i = 1; i < 10; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(', ')}]`);
    }
    await write({ 'probes/bomb.yaml': `${levels.join('\n')}\nprobes: [*j]\n` });
    const started = performance.now();
    const { lines } = await load();
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(lines).toEqual([
      'probes/bomb.yaml:1:1: YAML aliases expand too much or cannot be resolved: Excessive alias count indicates a resource exhaustion attack',
    ]);
  });

  it('rejects __proto__ keys anywhere and pollutes nothing', async () => {
    await write({
      'vigil.yaml': 'defaults:\n  labels:\n    __proto__: { polluted: "yes" }\n',
      'probes/p.yaml': `__proto__: { polluted: "yes" }\nprobes:\n${probe('a', '    labels: { constructor: ok, __proto__: x }\n')}`,
    });
    const { config, lines } = await load();
    expect(config).toBeNull();
    expect(lines).toEqual([
      'probes/p.yaml:1:1: the key "__proto__" is not allowed',
      'probes/p.yaml:7:32: the key "__proto__" is not allowed',
      'vigil.yaml:3:5: the key "__proto__" is not allowed',
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('warns about a YAML tag it does not know and keeps the value as text', async () => {
    await write({ 'probes/p.yaml': `probes:\n${probe('a', '    runbook: !secret https://wiki\n')}` });
    const { config, lines } = await load();
    expect(lines).toEqual(['probes/p.yaml:6:14: warning: YAML: Unresolved tag: !secret']);
    expect(config?.probes[0]?.runbook).toBe('https://wiki');
  });

  it('accepts label names that are Object.prototype members', async () => {
    await write({
      'probes/p.yaml': `probes:\n${probe('a', '    labels: { constructor: ok, tostring: x }\n')}`,
    });
    const { config, lines } = await load();
    expect(lines).toEqual([]);
    expect(config?.probes[0]?.labels).toEqual({ constructor: 'ok', tostring: 'x' });
  });

  it('skips a nested folder with its own vigil.yaml: it is a separate config root', async () => {
    await write({
      'probes/p.yaml': `probes:\n${probe('a')}`,
      'probes/demo/vigil.yaml': 'regions: [local]\n',
      'probes/demo/probes/p.yaml': `probes:\n${probe('a')}`,
    });
    const { config, lines } = await load();
    expect(lines).toEqual([]);
    expect(config?.files).toEqual(['probes/p.yaml']);
  });

  it('loads only the given paths and reports those that do not exist', async () => {
    await write({ 'probes/a.yaml': `probes:\n${probe('a')}`, 'probes/b.yaml': `probes:\n${probe('b')}` });
    const { lines, config } = await load({ paths: ['probes/b.yaml', 'nope'] });
    expect(config).toBeNull();
    expect(lines).toEqual(['nope:1:1: no such file or folder']);
    const only = await load({ paths: ['probes/b.yaml'] });
    expect(only.config?.probes.map((p) => p.id)).toEqual(['b']);
  });

  it('returns the config when there are only warnings', async () => {
    await write({
      'vigil.yaml': 'services:\n  widgets: { providers: [acme, backup] }\n',
      'probes/p.yaml': `probes:\n${probe('a')}`,
    });
    const { config, lines } = await load();
    expect(lines).toEqual([
      'vigil.yaml:2:32 services.widgets.providers[1]: warning: no probe has service "widgets" and provider "backup"',
    ]);
    expect(config?.services.widgets).toEqual({ providers: ['acme', 'backup'], mode: 'any' });
  });

  it('validates channels with the given channel types, and loosely without them', async () => {
    await write({
      'vigil.yaml': 'channels:\n  ops: { type: slack, webhook: "${env:HOOK}", extra: 1 }\n',
      'probes/p.yaml': `probes:\n${probe('a')}`,
    });
    expect((await load()).config?.channels).toEqual({
      ops: { type: 'slack', webhook: '${env:HOOK}', extra: 1 },
    });
    expect((await load({ channelTypes: testChannelTypes })).lines).toEqual([
      'vigil.yaml:2:47 channels.ops.extra: unknown key "extra"',
    ]);
  });

  it('reads vigil.yaml sections into typed values with their defaults', async () => {
    await write({
      'vigil.yaml': [
        'timezone: Europe/Berlin',
        'reports:',
        '  weekly: { recipients: [m@example.com], at: MON 08:30 }',
        'maintenance:',
        '  - { id: nightly, weekdays: [sun], at: "03:00", duration: 30m }',
        'alerting: { failures: 2 of 3 }',
      ].join('\n'),
      'probes/p.yaml': `probes:\n${probe('a', '    schedule: { cron: "0 * * * *" }\n')}`,
    });
    const { config, lines } = await load();
    expect(lines).toEqual([]);
    expect(config?.reports.weekly?.at).toEqual({ weekday: 'mon', hour: 8, minute: 30 });
    expect(config?.maintenance[0]).toMatchObject({ duration: 1_800_000, match: {} });
    expect(config?.alerting).toEqual({
      failures: { failures: 2, window: 3 },
      recovery: 2,
      reminder: 7_200_000,
    });
    expect(config?.probes[0]?.schedule).toEqual({ type: 'cron', cron: '0 * * * *', tz: 'Europe/Berlin' });
  });
});
