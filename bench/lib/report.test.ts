import { describe, expect, it } from 'vitest';
import { checkTargets, mergeKeys, renderTable } from './report.js';

describe('mergeKeys', () => {
  it('keeps the largest worker RSS of all sections and the last value of other keys', () => {
    expect(mergeKeys([{ worker_rss_mb: 250, a: 1 }, { worker_rss_mb: 210, a: 2 }, { b: null }])).toEqual({
      worker_rss_mb: 250,
      a: 2,
      b: null,
    });
  });
});

describe('checkTargets', () => {
  const met = (keys: Record<string, number | null>) =>
    Object.fromEntries(checkTargets(keys).map((t) => [t.target.key, t.met]));

  it.each([
    [{ throughput_ratio: 1.3 }, 'throughput_ratio', true],
    [{ throughput_ratio: 1.29 }, 'throughput_ratio', false],
    [{ cpu_ratio: 1 }, 'cpu_ratio', true],
    [{ slot_lag_p99_ms: 251 }, 'slot_lag_p99_ms', false],
    [{ missed_slots: 0 }, 'missed_slots', true],
    [{ missed_slots: 1 }, 'missed_slots', false],
    [{ worker_rss_mb: 300 }, 'worker_rss_mb', true],
    [{ worker_rss_mb: null }, 'worker_rss_mb', null],
    [{}, 'slot_lag_p99_ms', null],
  ])('%j → %s met: %j', (keys, key, want) => {
    expect(met(keys)[key]).toBe(want);
  });
});

describe('renderTable', () => {
  it('prints each section, its rows aligned, then the targets', () => {
    const text = renderTable(
      [
        {
          name: 'throughput',
          rows: [
            { metric: 'probes/s', value: 1234.5678, note: 'n' },
            { metric: 'rss', value: 200, unit: 'MiB' },
          ],
        },
      ],
      { throughput_ratio: 1.5, worker_rss_mb: 200 },
    );
    expect(text).toContain('[throughput]');
    expect(text).toMatch(/probes\/s\s+1234\.568\s+n/);
    expect(text).toMatch(/throughput vs blackbox_exporter\s+1\.5\s+≥ 1\.3\s+MET/);
    expect(text).toMatch(/slot lag p99\s+—\s+≤ 250 ms\s+not measured/);
  });
});
