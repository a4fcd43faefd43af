import { describe, expect, it } from 'vitest';
import { HOUR_MS, parsePeriodKey, previousPeriod, type VerdictTimes } from '@vigil/core';
import { buildReport } from './build.js';
import { renderHtml } from './html.js';
import { hours } from './testing/hours.js';
import { renderText } from './text.js';
import { trendPeriods } from './trend.js';
import type { ReportInput, ReportProbe } from './types.js';

const H = HOUR_MS;
const q4 = parsePeriodKey('2026-Q4', 'UTC');
const q3 = previousPeriod(q4);

const probe = (id: string): ReportProbe => ({
  id,
  name: id,
  provider: id,
  service: 'payments',
  critical: false,
  target: 0.98,
  labels: {},
  createdAt: 0,
});

const times = (upMs: number, downMs: number): VerdictTimes => ({
  upMs,
  downMs,
  degradedMs: 0,
  noDataMs: 0,
  excludedMs: 0,
  rateLimitedMs: 0,
});

function quarterly(o: Partial<ReportInput> = {}) {
  // a: 10 h down in Q3 and 5 h in Q4; b: always up
  const rollups = new Map([
    [
      'a',
      hours('a', q3.from, q4.to, (t) => ({
        downMs:
          (t >= q3.from + 100 * H && t < q3.from + 110 * H) || (t >= q4.from + 50 * H && t < q4.from + 55 * H)
            ? H
            : 0,
      })),
    ],
    ['b', hours('b', q3.from, q4.to)],
  ]);
  return buildReport({
    kind: 'quarterly',
    period: q4,
    previous: q3,
    tz: 'UTC',
    generatedAt: q4.to + H,
    probes: [probe('a'), probe('b')],
    services: [
      { name: 'payments', displayName: 'Payments', providers: ['a', 'b'], mode: 'all', target: 0.99 },
    ],
    rollups,
    incidents: [],
    ...o,
  });
}

describe('the trend', () => {
  it('asks for the two quarters before the previous one, quarterly only', () => {
    expect(trendPeriods('quarterly', q4).map((p) => p.key)).toEqual(['2026-Q1', '2026-Q2']);
    expect(trendPeriods('monthly', parsePeriodKey('2026-11', 'UTC'))).toEqual([]);
    expect(trendPeriods('weekly', parsePeriodKey('2026-W47', 'UTC'))).toEqual([]);
  });

  it('is the previous period and this one for every report, the last four quarters quarterly', () => {
    const q2 = parsePeriodKey('2026-Q2', 'UTC');
    const q2Ms = q2.to - q2.from; // 2184 h
    const m = quarterly({
      earlier: [
        {
          period: q2,
          totals: new Map([
            // a: 1% down; b: a tenth of the quarter measured (insufficient: left out of "all APIs")
            ['a', times(0.99 * q2Ms, 0.01 * q2Ms)],
            ['b', times(0.1 * q2Ms, 0)],
            ['service:payments', times(0.995 * q2Ms, 0.005 * q2Ms)],
          ]),
        },
      ],
    });
    const t = m.trend!;
    expect(t.periods.map((p) => p.key)).toEqual(['2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4']);
    const q3Ms = q3.to - q3.from;
    const q4Ms = q4.to - q4.from;
    expect(t.overall[0]).toBeNull(); // Q1 not given
    expect(t.overall[1]).toBeCloseTo(0.99, 12);
    expect(t.overall[2]).toBeCloseTo(1 - (10 * H) / (2 * q3Ms), 12);
    expect(t.overall[3]).toBeCloseTo(1 - (5 * H) / (2 * q4Ms), 12);
    expect(t.overall[3]).toBe(m.headline.availability);
    const svc = t.services[0]!;
    expect(svc.name).toBe('Payments');
    expect(svc.points[0]).toEqual({ availability: null, status: 'insufficient_data' });
    expect(svc.points[1]).toEqual({ availability: 0.995, status: 'met' });
    expect(svc.points[2]!.availability).toBeCloseTo(1 - (10 * H) / q3Ms, 12);
    expect(svc.points[3]!.availability).toBeCloseTo(1 - (5 * H) / q4Ms, 12);

    const text = renderText(m);
    expect(text).toContain(
      'Last 4 quarters, overall: Q1 2026 n/a, Q2 2026 99.000%, Q3 2026 99.773%, Q4 2026 99.886%',
    );
    expect(text).toContain(
      '  last 4 quarters: Q1 2026 n/a, Q2 2026 99.500%, Q3 2026 99.547%, Q4 2026 99.773%',
    );
    expect(text).toContain('Overall availability: 99.886% (▲ +0.113 pp vs 2026-Q3: 99.773%)');
    const html = renderHtml(m).html;
    expect(html).toContain('Last 4 quarters');
    expect(html).toContain(
      '<tr bgcolor="#f6f7f9"><td><b>All APIs</b></td><td>n/a</td><td>99.000%</td><td>99.773%</td><td>99.886%</td></tr>',
    );
    expect(html).toContain('&#9650; +0.113 pp vs 2026-Q3');
  });

  it('a monthly report compares with the previous month only', () => {
    const nov = parsePeriodKey('2026-11', 'UTC');
    const oct = previousPeriod(nov);
    const m = buildReport({
      kind: 'monthly',
      period: nov,
      previous: oct,
      tz: 'UTC',
      generatedAt: nov.to,
      probes: [probe('a')],
      services: [],
      rollups: new Map([
        ['a', hours('a', oct.from, nov.to, (t) => ({ downMs: t < oct.from + 6 * H ? H : 0 }))],
      ]),
      incidents: [],
    });
    expect(m.trend!.periods.map((p) => p.key)).toEqual(['2026-10', '2026-11']);
    expect(m.trend!.overall[0]).toBeCloseTo(1 - (6 * H) / (oct.to - oct.from), 12);
    expect(m.trend!.overall[1]).toBe(1);
    expect(renderText(m)).toContain('Overall availability: 100% (▲ +0.806 pp vs 2026-10: 99.193%)');
    expect(renderText(m)).not.toContain('quarters');
  });
});
