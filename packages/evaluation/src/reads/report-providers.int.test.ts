import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePeriodKey, type Incident, type ProbeResult } from '@vigil/core';
import {
  ensurePartitions,
  insertIncidents,
  insertResults,
  migrate,
  openDb,
  storeStatusSnapshot,
  upsertProbes,
  type DbHandle,
} from '@vigil/db';
import { renderCsv, renderHtml, renderText, type ReportModel } from '@vigil/reports';
import { config, spec } from '../testing/builders.js';
import { generateReport } from './report.js';

/**
 * The weekly report of 2026-W47 through the store: Stripe's status page declared the first of our two
 * Stripe outages 12 minutes after we detected it and never the second; its probe's requests against a
 * budget of 100 an hour, two of them answered 429. The email's text, HTML and CSV say so.
 */
const W47 = parsePeriodKey('2026-W47', 'UTC');
const MIN = 60_000;
const MON = W47.from;
const at = (h: number, m = 0) => MON + h * 60 * MIN + m * MIN;
const probe = spec({ id: 'stripe-balance', name: 'Stripe balance', provider: 'stripe', service: 'payments' });
// PayPal has no budget: its results are not read for the rate limits
const paypal = spec({ id: 'paypal-orders', name: 'PayPal orders', provider: 'paypal', service: 'payments' });
const cfg = config([probe, paypal], {
  providers: {
    stripe: {
      name: 'Stripe',
      statusPage: { url: 'https://status.stripe.test/api/v2/summary.json' } as never,
      rateLimit: { requests: 100, per: 60 * MIN },
    },
  },
});

const incident = (id: string, from: number, to: number): Incident => ({
  id,
  scope: 'provider',
  key: 'stripe',
  kind: 'down',
  severity: 'page',
  title: 'Stripe down',
  provider: 'stripe',
  service: 'payments',
  probeId: null,
  openedAt: new Date(from),
  resolvedAt: new Date(to),
  parentId: null,
  silent: false,
  flapping: false,
  detail: {},
  updatedAt: new Date(to),
  acknowledgedAt: null,
  acknowledgedBy: null,
  acknowledgeNote: null,
});

const result = (slotAt: number, kind: 'up' | '429' | 'deferred'): ProbeResult => ({
  probeId: probe.id,
  region: 'eu',
  slotAt,
  startedAt: slotAt,
  phases: { dnsMs: null, connectMs: null, tlsMs: null, ttfbMs: null, transferMs: null, totalMs: 100 },
  outcome: kind === 'up' ? 'up' : 'rate_limited',
  httpStatus: kind === 'up' ? 200 : kind === '429' ? 429 : null,
  errorClass: kind === 'up' ? null : 'rate_limited',
  message:
    kind === 'deferred' ? 'not sent: stripe asked to retry after 09:30 (Retry-After); slot deferred' : null,
  assertions: [],
  retryAfterS: kind === '429' ? 30 : null,
  tlsDaysLeft: null,
  workerId: 'w',
  ...(kind === 'deferred' ? { notSent: 'deferred' as const } : {}),
});

const declaration = (resolvedAt: number | null) => ({
  indicator: resolvedAt ? 'none' : 'major',
  description: null,
  pageUrl: null,
  components: [],
  declarations: [
    {
      kind: 'incident' as const,
      externalId: 'sp-1',
      title: 'Elevated API error rates',
      impact: 'major',
      status: resolvedAt ? 'resolved' : 'investigating',
      components: [],
      url: null,
      startedAt: new Date(at(10, 12)),
      scheduledUntil: null,
      resolvedAt: resolvedAt ? new Date(resolvedAt) : null,
      lastUpdateAt: null,
      updates: [],
      ended: resolvedAt !== null,
    },
  ],
});

const sunsetNotice = (sunset: string, link: string | null = null) => ({
  deprecated: true,
  deprecatedAt: Date.parse('2026-10-01T00:00:00Z'),
  sunsetAt: Date.parse(sunset),
  link,
});

let h: DbHandle;
let model: ReportModel;
beforeAll(async () => {
  h = await openDb({ dataDir: 'memory://' });
  await migrate(h);
  await ensurePartitions(h.db, new Date(MON), 2);
  await upsertProbes(
    h.db,
    [probe, paypal].map((spec) => ({ spec, hash: spec.id })),
    new Date(MON - 86_400_000),
  );
  // Monday 10:00-11:00 (declared from 10:12 to 11:00) and Tuesday 14:00-14:30 (never declared)
  await insertIncidents(h.db, [
    incident('inc-1', at(10), at(11)),
    incident('inc-2', at(24 + 14), at(24 + 14, 30)),
  ]);
  const none = { etag: null, lastModified: null };
  await storeStatusSnapshot(h.db, 'stripe', declaration(null) as never, none, new Date(at(10, 13)));
  await storeStatusSnapshot(h.db, 'stripe', declaration(at(11)) as never, none, new Date(at(11, 1)));
  // ten runs sent from 09:00, the 4th and 8th answered 429, then one slot deferred by Retry-After
  await insertResults(h.db, [
    ...Array.from({ length: 10 }, (_, i) => result(at(9, i), i === 3 || i === 7 ? '429' : 'up')),
    result(at(9, 10), 'deferred'),
    { ...result(at(9), '429'), probeId: paypal.id },
    // PayPal's API announced its sunset on Tuesday and again on Wednesday (the newest notice is read)
    { ...result(at(24 + 9), 'up'), probeId: paypal.id, notices: sunsetNotice('2027-01-01T00:00:00Z') },
    {
      ...result(at(48 + 9), 'up'),
      probeId: paypal.id,
      notices: sunsetNotice('2027-02-01T00:00:00Z', 'https://developer.paypal.test/migrate'),
    },
  ]);
  model = await generateReport(h.db, cfg, { kind: 'weekly', period: W47, generatedAt: W47.to + MIN });
}, 60_000);
afterAll(() => h.close());

describe('the weekly report with a status page and a rate-limit budget', () => {
  it("lists the providers' deprecation and sunset notices, the newest per probe, in the text and the HTML", () => {
    expect(model.notices?.map((n) => [n.probeId, n.provider, n.notices.sunsetAt, n.firstSeenAt])).toEqual([
      [paypal.id, 'paypal', Date.parse('2027-02-01T00:00:00Z'), at(24 + 9)],
    ]);
    const line =
      'deprecated since 1 Oct 2026, sunset 1 Feb 2027 (in 70 days) — https://developer.paypal.test/migrate';
    expect(renderText(model)).toContain(`  PayPal orders (paypal): ${line}`);
    // the email's HTML is ASCII: the dash goes as a character reference
    expect(renderHtml(model).html).toContain(`<td>${line.replace('—', '&#8212;')}</td>`);
  });

  it('splits our Stripe downtime into declared and undeclared, with the delay after our detection', () => {
    expect(model.declarations).toEqual([
      {
        provider: 'stripe',
        name: 'Stripe',
        incidents: 2,
        declaredIncidents: 1,
        downMs: 90 * MIN,
        declaredMs: 48 * MIN,
        undeclaredMs: 42 * MIN,
        declaredAfterMs: { median: 12 * MIN, max: 12 * MIN },
        providerIncidents: 1,
        maintenanceMs: 0,
      },
    ]);
  });

  it('counts the requests against the budget and the 429 share', () => {
    expect(model.rateLimits).toEqual([
      {
        provider: 'stripe',
        name: 'Stripe',
        budget: { requests: 100, perMs: 60 * MIN },
        runs: 10,
        requests: 10,
        peak: { requests: 10, from: at(9) },
        peakShare: 0.1,
        http429: 2,
        share429: 0.2,
        notSent: { deferred: 1, budget: 0 },
      },
    ]);
  });

  it('says both in the text, the HTML and the CSV of the email', () => {
    const text = renderText(model);
    expect(text).toContain(
      '  Stripe: down 1 h 30 min by our measure: 48 min declared, 42 min undeclared; 1 of 2 incidents declared, ' +
        'median 12 min after our detection (longest 12 min after our detection); status page: 1 incident',
    );
    expect(text).toContain(
      '  Stripe: 10 requests; busiest hour 10 of 100 (10% of the budget); HTTP 429: 2 (20% of runs); not sent: 1 deferred by Retry-After',
    );
    const { html } = renderHtml(model);
    expect(html).toContain(
      '<td><b>Stripe</b></td><td>1 h 30 min</td><td style="color:#b91c1c;">42 min</td><td>1/2, 12 min (max 12 min)</td>',
    );
    expect(html).toContain(
      '<td><b>Stripe</b></td><td>10<br><span style="font-size:10px;color:#6b7280;">HTTP 429: 2 (20.00%)</span></td><td>10 / 100 per hour</td>',
    );
    const csv = renderCsv(model).split('\r\n');
    const header = csv[0]!.split(',');
    const row = csv.find((l) => l.startsWith('weekly,provider,'))!.split(',');
    const cell = (c: string) => row[header.indexOf(c)];
    expect(
      [
        'downtime_min',
        'incidents',
        'declared_down_min',
        'undeclared_down_min',
        'declared_incidents',
        'declared_after_median_min',
        'requests',
        'budget_requests',
        'budget_per_min',
        'budget_peak_requests',
        'budget_peak_pct',
        'http_429',
        'http_429_share_pct',
      ].map(cell),
    ).toEqual(['90', '2', '48', '42', '1', '12', '10', '100', '60', '10', '10', '2', '20']);
  });
});
