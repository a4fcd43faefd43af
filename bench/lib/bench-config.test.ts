import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROBES_PER_FILE, probeId, probesYaml, writeBenchConfig } from './bench-config.js';

describe('bench config', () => {
  it('pads probe ids so they sort in creation order', () => {
    expect([probeId('fid', 1), probeId('fid', 12_345)]).toEqual(['fid-00001', 'fid-12345']);
  });

  it('writes the requested range of probes', () => {
    const text = probesYaml({ from: 3, to: 4, idPrefix: 'tp', url: 'http://127.0.0.1:1/bench' });
    expect(text.match(/- id: /g)).toHaveLength(2);
    expect(text).toContain('- id: tp-00003');
  });

  it('loads through the real config loader into interval probes of the bench region', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bench-config-'));
    try {
      const count = PROBES_PER_FILE + 3;
      const probes = await writeBenchConfig({
        dir,
        count,
        idPrefix: 'fid',
        intervalMs: 10_000,
        timeoutMs: 5_000,
        url: 'http://127.0.0.1:1/bench',
      });
      expect(probes).toHaveLength(count);
      expect(probes[0]!.spec).toMatchObject({
        id: 'fid-00001',
        kind: 'http',
        regions: ['bench'],
        schedule: { type: 'interval', everyMs: 10_000 },
        timeoutMs: 5_000,
      });
      expect(new Set(probes.map((p) => p.hash)).size).toBe(count);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
