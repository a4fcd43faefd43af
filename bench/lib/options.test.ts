import { describe, expect, it } from 'vitest';
import { DEFAULTS, readOptions, selectSections } from './options.js';

describe('readOptions', () => {
  it('uses the defaults on an empty environment', () => {
    expect(readOptions({})).toMatchObject({
      ...DEFAULTS,
      only: null,
      workerRuntime: 'bundle',
      cpuProf: false,
    });
  });

  it('reads every variable', () => {
    const o = readOptions({
      BENCH_SECONDS: '20',
      BENCH_ONLY: ' throughput , fidelity ',
      BENCH_WORKERS: '1',
      BENCH_PROBES: '500',
      BENCH_WORKER_RUNTIME: 'tsx',
      BENCH_CPU_PROF: '1',
    });
    expect(o).toMatchObject({
      seconds: 20,
      only: ['throughput', 'fidelity'],
      workers: 1,
      probes: 500,
      workerRuntime: 'tsx',
      cpuProf: true,
    });
  });

  it.each([
    [{ BENCH_SECONDS: '0' }, 'BENCH_SECONDS must be an integer ≥ 1, got "0"'],
    [{ BENCH_WORKERS: 'two' }, 'BENCH_WORKERS must be an integer ≥ 1, got "two"'],
    [{ BENCH_WORKER_RUNTIME: 'deno' }, 'BENCH_WORKER_RUNTIME must be tsx or bundle'],
    [{ BENCH_TIMEOUT_MS: '10000' }, 'BENCH_TIMEOUT_MS must be shorter than BENCH_INTERVAL_MS'],
  ])('rejects %j', (env, message) => {
    expect(() => readOptions(env)).toThrow(message);
  });

  it('names every bad variable at once', () => {
    expect(() => readOptions({ BENCH_SECONDS: 'x', BENCH_PROBES: '-1' })).toThrow(
      /BENCH_SECONDS.*; BENCH_PROBES/,
    );
  });
});

describe('selectSections', () => {
  const all = [{ name: 'throughput' }, { name: 'fidelity' }, { name: 'quarterly' }];
  it.each([
    [null, ['throughput', 'fidelity', 'quarterly']],
    [
      ['fidelity', 'throughput'],
      ['throughput', 'fidelity'],
    ],
  ])('BENCH_ONLY=%j runs %j in registry order', (only, want) => {
    expect(selectSections(all, only).map((s) => s.name)).toEqual(want);
  });
  it('rejects an unknown section', () => {
    expect(() => selectSections(all, ['latency'])).toThrow('unknown section latency');
  });
});
