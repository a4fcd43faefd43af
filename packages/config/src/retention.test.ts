import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatDiagnostic } from './diagnostics.js';
import { loadConfig } from './load.js';
import { retentionOf } from './schema/retention.js';
import { testKinds } from './testing/kinds.js';

const DAY = 86_400_000;
let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'vigil-config-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function load(vigil: string) {
  await writeFile(path.join(root, 'vigil.yaml'), vigil);
  const r = await loadConfig({ root, kinds: testKinds, paths: [] });
  return { config: r.config, lines: r.diagnostics.map(formatDiagnostic) };
}

describe('vigil.yaml retention', () => {
  it('keeps raw results 35 days and rollups 730 days by default', async () => {
    const { config, lines } = await load('timezone: UTC\n');
    expect(lines).toEqual([]);
    expect(config?.retention).toEqual({ results: 35 * DAY, rollups: 730 * DAY });
  });

  it('takes each setting on its own, the other keeping its default', async () => {
    const { config, lines } = await load('retention: { results: 90d }\n');
    expect(lines).toEqual([]);
    expect(config?.retention).toEqual({ results: 90 * DAY, rollups: 730 * DAY });
  });

  it('gives the defaults for a config built without a retention (tests, embedders)', () => {
    expect(retentionOf({})).toEqual({ results: 35 * DAY, rollups: 730 * DAY });
    expect(retentionOf({ retention: { results: DAY, rollups: 400 * DAY } }).results).toBe(DAY);
  });

  it.each([
    [
      'results under a day',
      'retention: { results: 12h }',
      'vigil.yaml:1:14 retention.results: expected at least 1d, got "12h"',
    ],
    [
      'rollups shorter than two quarters and a week',
      'retention: { rollups: 90d }',
      'vigil.yaml:1:14 retention.rollups: expected at least 190d, got "90d"',
    ],
    [
      'a number of days',
      'retention: { results: 35 }',
      'vigil.yaml:1:14 retention.results: expected a duration like "5s", got 35',
    ],
    ['an unknown key', 'retention: { raw: 35d }', 'vigil.yaml:1:14 retention.raw: unknown key "raw"'],
  ])('rejects %s at its place', async (_n, yaml, line) => {
    const { config, lines } = await load(`${yaml}\n`);
    expect(config).toBeNull();
    expect(lines).toEqual([line]);
  });
});
