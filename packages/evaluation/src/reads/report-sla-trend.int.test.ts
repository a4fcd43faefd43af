import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOUR_MS, parsePeriodKey, rollupHour, type HourlyRollup } from '@vigil/core';
import { addToCumulative, migrate, openDb, upsertProbes, upsertRollups, type DbHandle } from '@vigil/db';
import { renderCsv, renderHtml, renderText, type ReportModel } from '@vigil/reports';
import { config, spec } from '../testing/builders.js';
import { generateReport } from './report.js';

/**
 * The quarterly report of 2026-Q4 through the store, as the evaluator and `vigil report` build it: the
 * contract SLA of vigil.yaml `providers.stripe.sla` and the last four quarters (Q1 and Q2 read from the
 * running totals) reach the email's text, HTML and CSV with the scripted numbers.
 */
const Q1 = Date.parse('2026-01-01T00:00:00Z');
const Q4 = parsePeriodKey('2026-Q4', 'UTC');
const probe = spec({ id: 'stripe-balance', name: 'Stripe balance', provider: 'stripe', service: 'payments' });
const cfg = config([probe], {
  services: { payments: { name: 'Payments', providers: ['stripe'], mode: 'any' } },
  providers: {
    stripe: {
      name: 'Stripe',
      sla: {
        target: 0.999,
        window: 'month',
        credits: [
          { below: 0.999, credit: 0.1 },
          { below: 0.99, credit: 0.25 },
        ],
      },
    },
  },
});

/** Hours down from the start of each quarter: Q1 10 h, Q2 20 h, Q3 5 h, Q4 2 h (all in October). */
const OUTAGES: [string, number][] = [
  ['2026-01-10T00:00:00Z', 10],
  ['2026-04-10T00:00:00Z', 20],
  ['2026-07-10T00:00:00Z', 5],
  ['2026-10-10T00:00:00Z', 2],
];
const isDown = (at: number) =>
  OUTAGES.some(([from, hours]) => at >= Date.parse(from) && at < Date.parse(from) + hours * HOUR_MS);

let h: DbHandle;
let model: ReportModel;
beforeAll(async () => {
  h = await openDb({ dataDir: 'memory://' });
  await migrate(h);
  await upsertProbes(h.db, [{ spec: probe, hash: probe.id }], new Date(Q1 - 86_400_000));
  const rows: HourlyRollup[] = [];
  for (let at = Q1; at < Q4.to; at += HOUR_MS)
    for (const subject of [probe.id, 'service:payments'])
      rows.push(
        rollupHour(subject, at, [
          isDown(at)
            ? { at, durationMs: HOUR_MS, verdict: 'down', errorClass: 'http_status' }
            : { at, durationMs: HOUR_MS, verdict: 'up', latencyMs: 120 },
        ]),
      );
  await upsertRollups(h.db, rows);
  // what the evaluator keeps beside the hours: the running totals the earlier quarters are read from
  await addToCumulative(h.db, rows);
  model = await generateReport(h.db, cfg, {
    kind: 'quarterly',
    period: Q4,
    generatedAt: Q4.to + HOUR_MS,
  });
}, 60_000);
afterAll(() => h.close());

describe('the quarterly report from the store', () => {
  it('judges the contract SLA per month from the provider hours', () => {
    const windows = model.contractSla?.[0]?.windows ?? [];
    expect(model.contractSla?.map((r) => r.name)).toEqual(['Stripe']);
    expect(windows.map((w) => [w.key, w.status, w.credit, w.downMs])).toEqual([
      ['2026-10', 'breached', 0.1, 2 * HOUR_MS],
      ['2026-11', 'met', 0, 0],
      ['2026-12', 'met', 0, 0],
    ]);
    // October: 742 of 744 hours up
    expect(windows[0]!.availability).toBeCloseTo(742 / 744, 12);
  });

  it('has the last four quarters, Q1 and Q2 from the running totals', () => {
    expect(model.trend?.periods.map((p) => p.key)).toEqual(['2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4']);
    const expected = [2150 / 2160, 2164 / 2184, 2203 / 2208, 2206 / 2208];
    model.trend!.overall.forEach((a, i) => expect(a).toBeCloseTo(expected[i]!, 12));
    model.trend!.services[0]!.points.forEach((p, i) => {
      expect(p.availability).toBeCloseTo(expected[i]!, 12);
      expect(p.status).toBe('met');
    });
  });

  it('prints the SLA lines and the four quarters in the text part', () => {
    const text = renderText(model);
    expect(text).toContain(
      'Last 4 quarters, overall: Q1 2026 99.537%, Q2 2026 99.084%, Q3 2026 99.773%, Q4 2026 99.909%',
    );
    expect(text).toContain(
      '  last 4 quarters: Q1 2026 99.537%, Q2 2026 99.084%, Q3 2026 99.773%, Q4 2026 99.909%',
    );
    expect(text).toContain('Stripe — 99.9% per month, credits 10% below 99.9%, 25% below 99%');
    expect(text).toMatch(/October 2026.*99\.731%.*SLA breached — credit claimable: 10%/);
    expect(text).toMatch(/November 2026.*100%.*SLA met/);
  });

  it('shows them in the HTML part and the CSV', () => {
    const { html } = renderHtml(model);
    expect(html).toContain('SLA breached &#8212; credit claimable: 10%');
    expect(html).toContain(
      '<td><b>All APIs</b></td><td>99.537%</td><td>99.084%</td><td>99.773%</td><td>99.909%</td>',
    );
    const csv = renderCsv(model);
    expect(csv).toMatch(/sla_month,2026-10,.*,stripe,.*,99\.7311/m);
  });
});
