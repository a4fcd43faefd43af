import type { ProbeResult, ProbeSpec } from '@vigil/core';
import { describe, expect, it } from 'vitest';
import { LiveTable } from './live-table.js';

const spec = { id: 'stripe', regions: ['local'] } as unknown as ProbeSpec;
const result = (outcome: ProbeResult['outcome'], errorClass: ProbeResult['errorClass'], message = '') =>
  ({
    probeId: 'stripe',
    region: 'local',
    outcome,
    errorClass,
    message,
    phases: { totalMs: 12 },
  }) as unknown as ProbeResult;

function rowOf(results: ProbeResult[]): string[] {
  const t = new LiveTable();
  t.setProbes([spec]);
  for (const r of results) t.record(r);
  return t
    .render(200)
    .split('\n')[1]!
    .split(/\s{2,}/);
}

describe('the live table', () => {
  it('shows a probe whose ${env:…} is unset as a configuration problem, not as down, and out of its uptime', () => {
    const row = rowOf([result('up', null), result('down', 'config', 'STRIPE_KEY is not set')]);
    expect(row.slice(0, 2)).toEqual(['stripe', 'config']);
    expect(row[3]).toBe('100.0%');
    expect(row[5]).toContain('STRIPE_KEY is not set');
  });

  it('counts a real failure against uptime', () => {
    const row = rowOf([result('up', null), result('down', 'http_status', 'expected 200, got 503')]);
    expect(row.slice(0, 2)).toEqual(['stripe', 'down']);
    expect(row[3]).toBe('50.0%');
  });
});
