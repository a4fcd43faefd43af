import { describe, expect, it } from 'vitest';
import { buildReport } from './build.js';
import { renderHtml } from './html.js';
import { groupIncidents, incidentText, summarize } from './summary.js';
import { smallWeekly } from './testing/small.js';
import { renderText } from './text.js';
import type { ReportIncident } from './types.js';

/** A provider outage as the alerts record it: the probe's incident grouped under the provider's. */
function providerOutage(): ReportIncident[] {
  const { period } = smallWeekly();
  const at = period.from + 30 * 3_600_000;
  return [
    {
      id: 'p1',
      scope: 'provider',
      key: 'stripe',
      kind: 'down',
      openedAt: at,
      resolvedAt: at + 45_000,
      title: 'stripe',
    },
    {
      id: 'c1',
      scope: 'probe',
      key: 'stripe-charges',
      kind: 'down',
      openedAt: at,
      resolvedAt: at + 45_000,
      title: 'Stripe charges',
      parentId: 'p1',
    },
  ];
}

describe('incidents: one line per real problem', () => {
  const m = buildReport(smallWeekly({ incidents: providerOutage() }));

  it('groups a probe incident under its provider, as the alerts did', () => {
    const groups = groupIncidents(m.incidents);
    expect(groups).toHaveLength(1);
    expect(groups[0]!.incident.id).toBe('p1');
    expect(groups[0]!.children.map((c) => c.id)).toEqual(['c1']);
    expect(summarize(m).problems).toBe(1);
  });

  it('lists the outage once, with the grouped incident counted, in the HTML and the text', () => {
    const html = renderHtml(m).html;
    expect(html).toContain('Incidents (1)');
    expect(html).toContain('with 1 grouped incident: Stripe charges');
    expect(html).not.toContain('Stripe charges: Stripe charges');
    expect(html).not.toContain('stripe: stripe');
    const text = renderText(m);
    expect(text).toContain('## Incidents (1)');
    expect(text.match(/ — 45 s/g)).toHaveLength(1);
    expect(text).toContain('stripe (provider down) — 45 s — with 1 grouped incident: Stripe charges');
    expect(text).toContain('Incidents: 1 problems (2 incidents with the grouped ones)');
  });

  it('keeps an incident whose parent is not in the report on a line of its own', () => {
    const orphan = providerOutage().map((i) => (i.id === 'c1' ? { ...i, parentId: 'gone' } : i));
    expect(summarize(buildReport(smallWeekly({ incidents: orphan }))).problems).toBe(2);
  });

  it('groups a service outage over its provider and that provider’s probe (any depth), and survives a cycle', () => {
    const [p1, c1] = providerOutage();
    const svc: ReportIncident = {
      ...p1!,
      id: 's1',
      scope: 'service',
      key: 'payments',
      title: 'Payments down',
    };
    const deep = buildReport(smallWeekly({ incidents: [svc, { ...p1!, parentId: 's1' }, c1!] }));
    const groups = groupIncidents(deep.incidents);
    expect(groups.map((g) => [g.incident.id, g.children.map((c) => c.id).sort()])).toEqual([
      ['s1', ['c1', 'p1']],
    ]);
    const cyc = buildReport(smallWeekly({ incidents: [{ ...p1!, parentId: 'c1' }, c1!] }));
    expect(groupIncidents(cyc.incidents)).toHaveLength(1);
  });

  it.each([
    [{ subject: 'Flaky payments API', title: 'Flaky payments API' }, 'Flaky payments API'],
    [{ subject: 'flakypay', title: 'flakypay' }, 'flakypay'],
    [{ subject: 'stripe', title: 'Stripe charges: timeout' }, 'stripe: Stripe charges: timeout'],
    [{ subject: 'Stripe charges', title: 'Stripe charges is down' }, 'Stripe charges is down'],
    [{ subject: 'Stripe charges', title: '' }, 'Stripe charges'],
  ])('never repeats the subject: %j reads %j', (i, want) => {
    expect(incidentText(i)).toBe(want);
  });
});

describe('the probes that matter', () => {
  it('lists the missed and unjudged first, then downtime, then slow against the limit, each once', () => {
    const s = summarize(buildReport(smallWeekly()));
    expect(s.attention.map((a) => [a.probe.key, a.reasons])).toEqual([
      ['stripe-charges', ['missed', 'downtime']],
      ['algolia-search', ['insufficient_data']],
      ['paypal-orders', ['downtime']],
      ['google-login', ['slow']],
    ]);
    expect(s.rest).toEqual({ onTarget: 0, other: 0 });
  });
});
