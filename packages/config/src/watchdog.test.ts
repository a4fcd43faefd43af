import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatDiagnostic } from './diagnostics.js';
import { loadConfig } from './load.js';
import { testKinds } from './testing/kinds.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'vigil-config-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function load(vigil: string, env?: Record<string, string>) {
  await writeFile(path.join(root, 'vigil.yaml'), vigil);
  const r = await loadConfig({ root, kinds: testKinds, paths: [], ...(env && { env }) });
  return { config: r.config, lines: r.diagnostics.map(formatDiagnostic) };
}

describe('vigil.yaml heartbeat and watchdog', () => {
  it('has no heartbeat and a two-interval watchdog by default', async () => {
    const { config, lines } = await load('timezone: UTC\n');
    expect(lines).toEqual([]);
    expect(config?.heartbeat).toBeUndefined();
    expect(config?.watchdog).toEqual({ intervals: 2 });
  });

  it('keeps a heartbeat URL given as an env reference unresolved', async () => {
    const { config, lines } = await load(
      'heartbeat: { url: "${env:HEARTBEAT_URL}", interval: 30s }\nwatchdog: { intervals: 3 }\n',
      { HEARTBEAT_URL: 'https://hc.example.com/ping/secret-uuid' },
    );
    expect(lines).toEqual([]);
    expect(config?.heartbeat).toEqual({ url: '${env:HEARTBEAT_URL}', interval: 30_000, timeout: 10_000 });
    expect(config?.watchdog).toEqual({ intervals: 3 });
    expect(JSON.stringify(config)).not.toContain('secret-uuid');
  });

  it('reports a missing heartbeat env variable at load', async () => {
    const { config, lines } = await load('heartbeat: { url: "${env:HEARTBEAT_URL}" }\n', {});
    expect(config).toBeNull();
    expect(lines).toEqual(['vigil.yaml:1:14 heartbeat.url: missing environment variable HEARTBEAT_URL']);
  });

  it.each([
    [
      'a string that is no URL',
      'heartbeat: { url: "hc-ping secret" }',
      'vigil.yaml:1:14 heartbeat.url: expected an http(s) URL or ${env:NAME}',
    ],
    [
      'a number',
      'heartbeat: { url: 42 }',
      'vigil.yaml:1:14 heartbeat.url: expected an http(s) URL or ${env:NAME}, got 42',
    ],
    [
      'an interval under 10s',
      'heartbeat: { url: "https://hc.example.com/x", interval: 1s }',
      'vigil.yaml:1:47 heartbeat.interval: expected at least 10s, got "1s"',
    ],
    [
      'zero watchdog intervals',
      'watchdog: { intervals: 0 }',
      'vigil.yaml:1:13 watchdog.intervals: expected a number at least 1, got 0',
    ],
  ])('rejects %s, naming the place and never echoing the URL', async (_n, yaml, line) => {
    const { config, lines } = await load(`${yaml}\n`);
    expect(config).toBeNull();
    expect(lines).toEqual([line]);
  });
});
