import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { probeHash } from '@vigil/config';
import type { ProbeSpec } from '@vigil/core';
import { loadVigilConfig } from '@vigil/runtime';
import { BenchError } from './errors.js';

export const BENCH_REGION = 'bench';

export interface BenchConfigOptions {
  /** folder to write vigil.yaml and probes/bench-*.yaml into */
  dir: string;
  count: number;
  idPrefix: string;
  intervalMs: number;
  timeoutMs: number;
  /** the simulator route every probe checks */
  url: string;
}

/** Pure: vigil.yaml of a one-region deployment that only runs the bench's probes. */
export function vigilYaml(o: Pick<BenchConfigOptions, 'intervalMs' | 'timeoutMs'>): string {
  return [
    'timezone: UTC',
    `regions: [${BENCH_REGION}]`,
    'defaults:',
    `  interval: ${o.intervalMs}ms`,
    `  timeout: ${o.timeoutMs}ms`,
    `  regions: [${BENCH_REGION}]`,
    '',
  ].join('\n');
}

/** Probe files stay well under the loader's 1 MiB file limit. */
export const PROBES_PER_FILE = 2_000;

/** Pure: HTTP probes `from`..`to` (inclusive) of `url`, ids `<idPrefix>-00001` … */
export function probesYaml(o: { from: number; to: number; idPrefix: string; url: string }): string {
  const lines = ['defaults:', '  service: bench', '  provider: simulator', 'probes:'];
  for (let i = o.from; i <= o.to; i++) {
    const id = probeId(o.idPrefix, i);
    lines.push(
      `  - id: ${id}`,
      `    name: ${id}`,
      `    http: { url: '${o.url}' }`,
      '    expect: { status: 200 }',
    );
  }
  return `${lines.join('\n')}\n`;
}

export function probeId(prefix: string, n: number): string {
  return `${prefix}-${String(n).padStart(5, '0')}`;
}

/**
 * Writes the config folder and loads it through the same loader the scheduler uses, so the bench runs
 * exactly the specs (and hashes) a deployment would.
 */
export async function writeBenchConfig(o: BenchConfigOptions): Promise<{ spec: ProbeSpec; hash: string }[]> {
  await mkdir(join(o.dir, 'probes'), { recursive: true });
  await writeFile(join(o.dir, 'vigil.yaml'), vigilYaml(o));
  for (let from = 1; from <= o.count; from += PROBES_PER_FILE) {
    const to = Math.min(o.count, from + PROBES_PER_FILE - 1);
    await writeFile(join(o.dir, 'probes', `bench-${from}.yaml`), probesYaml({ ...o, from, to }));
  }
  const { config, diagnostics } = await loadVigilConfig({ root: o.dir });
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (!config || errors.length > 0)
    throw new BenchError('CONFIG', `bench config did not load: ${errors.map((d) => d.message).join('; ')}`);
  return config.probes.map((spec) => ({ spec, hash: probeHash(spec) }));
}
