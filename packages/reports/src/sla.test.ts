import { describe, expect, it } from 'vitest';
import { HOUR_MS, parsePeriodKey, previousPeriod, type HourlyRollup } from '@vigil/core';
import { buildReport } from './build.js';
import { CSV_COLUMNS, renderCsv } from './csv.js';
import { renderHtml } from './html.js';
import { slaCredit } from './sla.js';
import { renderText } from './text.js';
import { hours } from './testing/hours.js';
import type { ContractSla, ReportInput, ReportProbe } from './types.js';

const H = HOUR_MS;
const TIERS: ContractSla['credits'] = [
  { below: 0.999, credit: 0.1 },
  { below: 0.99, credit: 0.25 },
];
const SLA: ContractSla = { target: 0.999, window: 'month', credits: TIERS };

const probe = (id: string, provider: string, service = 'payments'): ReportProbe => ({
  id,
  name: id,
  provider,
  service,
  critical: false,
  target: 0.98,
  labels: {},
  createdAt: 0,
});

/** Hourly rollups of [from, to) with `downMs` of downtime from `downFrom` on, in whole hours then the rest. */
function withDowntime(
  id: string,
  from: number,
  to: number,
  downFrom: number,
  downMs: number,
): HourlyRollup[] {
  return hours(id, from, to, (t) => ({
    downMs: Math.max(0, Math.min(H, downMs - (t - downFrom))) * Number(t >= downFrom),
  }));
}

function report(
  kind: ReportInput['kind'],
  key: string,
  rollups: Map<string, HourlyRollup[]>,
  o: Partial<ReportInput> = {},
) {
  const period = parsePeriodKey(key, 'UTC');
  return buildReport({
    kind,
    period,
    previous: previousPeriod(period),
    tz: 'UTC',
    generatedAt: period.to + H,
    probes: [...rollups.keys()].map((id) => probe(id, id.split('-')[0]!)),
    services: [
      { name: 'payments', providers: ['stripe', 'paypal', 'acme', 'gappy'], mode: 'any', target: 0.99 },
    ],
    rollups,
    incidents: [],
    providers: {
      stripe: { name: 'Stripe', sla: SLA },
      paypal: { sla: SLA },
      acme: { sla: SLA },
      gappy: { sla: SLA },
    },
    ...o,
  });
}

describe('slaCredit', () => {
  it('is the worst tier the availability falls under', () => {
    expect(slaCredit({ credits: TIERS }, 0.9995)).toBe(0);
    expect(slaCredit({ credits: TIERS }, 0.999)).toBe(0);
    expect(slaCredit({ credits: TIERS }, 0.995)).toBe(0.1);
    expect(slaCredit({ credits: TIERS }, 0.9899)).toBe(0.25);
    expect(slaCredit({ credits: [] }, 0.5)).toBe(0);
  });
});

describe('the contract SLA in the report model', () => {
  const nov = parsePeriodKey('2026-11', 'UTC');
  const from = previousPeriod(nov).from;
  const monthMs = nov.to - nov.from; // 720 h
  // stripe: 0.5% of November down → 99.5% (credit 10%); paypal 1.5% → 98.5% (25%); acme 0.05% → 99.95% (met)
  const rollups = new Map([
    ['stripe-api', withDowntime('stripe-api', from, nov.to, nov.from + 50 * H, 0.005 * monthMs)],
    ['paypal-api', withDowntime('paypal-api', from, nov.to, nov.from + 100 * H, 0.015 * monthMs)],
    ['acme-api', withDowntime('acme-api', from, nov.to, nov.from + 10 * H, 0.0005 * monthMs)],
    // gappy: data for 20 days of the 30 only
    ['gappy-api', hours('gappy-api', from, nov.from + 20 * 24 * H)],
  ]);

  it('judges each provider over its calendar month: measured availability, status and credit', () => {
    const m = report('monthly', '2026-11', rollups);
    const by = new Map(m.contractSla!.map((s) => [s.provider, s.windows]));
    expect([...by.keys()]).toEqual(['stripe', 'paypal', 'acme', 'gappy']);
    const stripe = by.get('stripe')!;
    expect(stripe).toHaveLength(1);
    expect(stripe[0]).toMatchObject({
      key: '2026-11',
      label: 'November 2026',
      complete: true,
      status: 'breached',
      credit: 0.1,
    });
    expect(stripe[0]!.availability).toBeCloseTo(0.995, 9);
    expect(stripe[0]!.downMs).toBeCloseTo(0.005 * monthMs, 0);
    expect(by.get('paypal')![0]).toMatchObject({ status: 'breached', credit: 0.25 });
    expect(by.get('paypal')![0]!.availability).toBeCloseTo(0.985, 9);
    expect(by.get('acme')![0]).toMatchObject({ status: 'met', credit: 0 });
    expect(by.get('acme')![0]!.availability).toBeCloseTo(0.9995, 9);
    expect(by.get('gappy')![0]).toMatchObject({ status: 'insufficient_data', credit: null });
    expect(by.get('gappy')![0]!.coverage).toBeCloseTo(20 / 30, 9);
  });

  it('reads the same in the text, the HTML and the CSV', () => {
    const m = report('monthly', '2026-11', rollups);
    const text = renderText(m);
    expect(text).toContain("## Contract SLAs (measured by Vigil; a claim follows the provider's own terms)");
    // the provider's display name from providers.<name>.name
    expect(text).toContain('  Stripe — 99.9% per month, credits 10% below 99.9%, 25% below 99%');
    expect(text).toContain('    November 2026: 99.500% — SLA breached — credit claimable: 10%');
    expect(text).toContain('    November 2026: 98.500% — SLA breached — credit claimable: 25%');
    expect(text).toContain('    November 2026: 99.950% — SLA met');
    expect(text).toContain('    November 2026: insufficient data (66% coverage)');
    const html = renderHtml(m).html;
    expect(html).toContain('Contract SLAs');
    expect(html).toContain(
      '99.500%</td><td style="color:#b91c1c;">SLA breached &#8212; credit claimable: 10%</td>',
    );
    expect(html).toContain('>insufficient data (66% coverage)</td>');
    const rows = renderCsv(m)
      .trimEnd()
      .split('\r\n')
      .map((r) => Object.fromEntries(r.split(',').map((v, i) => [CSV_COLUMNS[i], v])))
      .filter((r) => r.period_kind === 'sla_month');
    expect(
      rows.map((r) => [
        r.provider,
        r.period,
        r.target_pct,
        r.availability_pct,
        r.status,
        r.sla_credit_pct,
        r.sla_window_complete,
      ]),
    ).toEqual([
      ['stripe', '2026-11', '99.9', '99.5', 'breached', '10', 'true'],
      ['paypal', '2026-11', '99.9', '98.5', 'breached', '25', 'true'],
      ['acme', '2026-11', '99.9', '99.95', 'met', '0', 'true'],
      ['gappy', '2026-11', '99.9', '', 'insufficient_data', '', 'true'],
    ]);
    expect(rows[0]!.probe_id).toBe('');
    expect(rows[0]!.service).toBe('payments');
  });

  it('a running window reads "so far" in the text', () => {
    const w48 = parsePeriodKey('2026-W48', 'UTC');
    const q4 = parsePeriodKey('2026-Q4', 'UTC');
    const prev = previousPeriod(w48);
    const all = withDowntime('stripe-api', q4.from, w48.to, nov.from + 24 * H, 3 * H);
    const m = report(
      'weekly',
      '2026-W48',
      new Map([['stripe-api', all.filter((r) => r.hourStart >= prev.from)]]),
      {
        quarterRollups: new Map([['stripe-api', all.filter((r) => r.hourStart < prev.from)]]),
      },
    );
    expect(renderText(m)).toContain(
      '    November 2026 (so far, to 30 Nov 00:00): 99.568% — breached so far — 10% credit if it ends so',
    );
  });

  it('is absent for providers without an sla, and the model has none without providers', () => {
    expect(report('monthly', '2026-11', rollups, { providers: { paypal: {} } }).contractSla).toEqual([]);
    expect(report('monthly', '2026-11', rollups, { providers: undefined }).contractSla).toEqual([]);
  });

  it('a quarterly report has the three months, a quarterly window the quarter', () => {
    const q4 = parsePeriodKey('2026-Q4', 'UTC');
    const qFrom = previousPeriod(q4).from;
    // stripe down 2 h in October (of 745 h: 99.73%, 10%) and nothing else
    const r = new Map([['stripe-api', withDowntime('stripe-api', qFrom, q4.to, q4.from + 5 * H, 2 * H)]]);
    const monthly = report('quarterly', '2026-Q4', r).contractSla![0]!;
    expect(monthly.windows.map((w) => [w.key, w.status, w.credit])).toEqual([
      ['2026-10', 'breached', 0.1],
      ['2026-11', 'met', 0],
      ['2026-12', 'met', 0],
    ]);
    expect(monthly.windows[0]!.availability).toBeCloseTo(1 - 2 / (31 * 24), 9);
    const quarterly = report('quarterly', '2026-Q4', r, {
      providers: { stripe: { sla: { ...SLA, window: 'quarter' } } },
    }).contractSla![0]!;
    // 2 h of 2208 h: 99.909%, above 99.9%
    expect(quarterly.windows.map((w) => [w.key, w.status, w.credit])).toEqual([['2026-Q4', 'met', 0]]);
    expect(quarterly.windows[0]!.availability).toBeCloseTo(1 - 2 / 2208, 9);
  });

  it('a weekly report judges the month so far, from the quarter rollups before the week', () => {
    const w48 = parsePeriodKey('2026-W48', 'UTC'); // 23–29 Nov
    const prev = previousPeriod(w48);
    const q4 = parsePeriodKey('2026-Q4', 'UTC');
    // 3 h down on 2 November, before the previous week: only the quarter rollups have it
    const all = withDowntime('stripe-api', q4.from, w48.to, nov.from + 24 * H, 3 * H);
    const m = report(
      'weekly',
      '2026-W48',
      new Map([['stripe-api', all.filter((r) => r.hourStart >= prev.from)]]),
      {
        quarterRollups: new Map([['stripe-api', all.filter((r) => r.hourStart < prev.from)]]),
      },
    );
    const w = m.contractSla![0]!.windows;
    expect(w).toHaveLength(1);
    const measured = w48.to - nov.from; // 1 .. 30 Nov 00:00: 29 days
    expect(w[0]).toMatchObject({
      key: '2026-11',
      complete: false,
      measuredTo: w48.to,
      status: 'breached',
      credit: 0.1,
    });
    expect(w[0]!.availability).toBeCloseTo(1 - (3 * H) / measured, 9);
  });

  it('a week across a month end has both months', () => {
    const w49 = parsePeriodKey('2026-W49', 'UTC'); // 30 Nov – 6 Dec
    const q4 = parsePeriodKey('2026-Q4', 'UTC');
    const all = hours('stripe-api', q4.from, w49.to);
    const prev = previousPeriod(w49);
    const m = report(
      'weekly',
      '2026-W49',
      new Map([['stripe-api', all.filter((r) => r.hourStart >= prev.from)]]),
      {
        quarterRollups: new Map([['stripe-api', all.filter((r) => r.hourStart < prev.from)]]),
      },
    );
    expect(m.contractSla![0]!.windows.map((w) => [w.key, w.complete, w.status])).toEqual([
      ['2026-11', true, 'met'],
      ['2026-12', false, 'met'],
    ]);
  });
});
