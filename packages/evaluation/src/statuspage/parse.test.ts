import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DeclarationRow, StatusPagePoll } from '@vigil/db';
import { parseStatusPage, parseStatuspageSummary, readPath, StatusPageFormatError } from './parse.js';
import { declarationView, declaredMaintenanceWindows } from './view.js';

const summary: unknown = JSON.parse(
  readFileSync(new URL('./fixtures/github-summary.json', import.meta.url), 'utf8'),
);
const NOW = new Date('2025-03-04T10:13:00Z');

describe('parseStatuspageSummary (Atlassian Statuspage /api/v2/summary.json)', () => {
  it('reads the indicator, the components (not the groups), the incident with its updates and the maintenance', () => {
    const s = parseStatuspageSummary(summary, NOW);
    expect(s.indicator).toBe('major');
    expect(s.description).toBe('Partial System Outage');
    expect(s.pageUrl).toBe('https://www.githubstatus.com');
    expect(s.components).toEqual([
      { name: 'Git Operations', status: 'operational' },
      { name: 'API Requests', status: 'partial_outage' },
      { name: 'Webhooks', status: 'degraded_performance' },
    ]);
    expect(s.declarations).toHaveLength(2);
    const [incident, maintenance] = s.declarations;
    expect(incident).toEqual({
      kind: 'incident',
      externalId: 'x7hz0zlqm8kq',
      title: 'Elevated API error rates',
      impact: 'major',
      status: 'identified',
      components: ['API Requests'],
      url: 'https://stspg.io/x7hz0zlqm8kq',
      startedAt: new Date('2025-03-04T10:04:11.389Z'),
      scheduledUntil: null,
      resolvedAt: null,
      lastUpdateAt: new Date('2025-03-04T10:12:30.949Z'),
      updates: [
        {
          at: '2025-03-04T10:12:30.949Z',
          status: 'identified',
          body: 'We have identified the cause of elevated error rates on API requests and are rolling out a fix.',
        },
        {
          at: '2025-03-04T10:04:11.470Z',
          status: 'investigating',
          body: 'We are investigating reports of degraded performance for API Requests and Webhooks.',
        },
      ],
      ended: false,
    });
    expect(maintenance).toMatchObject({
      kind: 'maintenance',
      externalId: 'm1qv3zv0yqk4',
      impact: 'maintenance',
      status: 'scheduled',
      startedAt: new Date('2025-03-08T03:00:00.000Z'),
      scheduledUntil: new Date('2025-03-08T03:30:00.000Z'),
      components: ['Git Operations'],
      ended: false,
    });
  });

  it('an all-operational page declares nothing; a resolved incident is ended', () => {
    const calm = parseStatuspageSummary(
      {
        page: { id: 'p', name: 'Stripe', url: 'https://status.stripe.com' },
        components: [{ id: 'c', name: 'API', status: 'operational', group: false }],
        incidents: [],
        scheduled_maintenances: [],
        status: { indicator: 'none', description: 'All Systems Operational' },
      },
      NOW,
    );
    expect(calm.indicator).toBe('none');
    expect(calm.declarations).toEqual([]);
    const resolved = parseStatuspageSummary(
      {
        status: { indicator: 'none' },
        incidents: [
          { id: 'i', name: 'x', status: 'resolved', impact: 'minor', created_at: '2025-03-04T09:00:00Z' },
        ],
      },
      NOW,
    );
    expect(resolved.declarations[0]).toMatchObject({ ended: true, impact: 'minor' });
  });

  it('refuses JSON that is not a summary, naming what it expected', () => {
    expect(() => parseStatuspageSummary([1, 2], NOW)).toThrow(StatusPageFormatError);
    expect(() => parseStatuspageSummary({ hello: 'world' }, NOW)).toThrow(/expected a Statuspage summary/);
  });
});

describe('format: json (a documented mapping of another status API)', () => {
  const doc = {
    overall: { state: 'amber', text: 'Some systems degraded' },
    services: [
      { label: 'Checkout', health: 'red' },
      { label: 'Search', health: 'green' },
    ],
    events: [
      {
        uid: 17,
        summary: 'Checkout failures',
        level: 'red',
        phase: 'investigating',
        opened: 1741082640,
        touched: '2025-03-04T10:12:00Z',
        link: 'https://status.acme.example/e/17',
        affects: [{ name: 'Checkout' }],
      },
      { uid: 16, summary: 'Old one', level: 'amber', phase: 'resolved', opened: 1741000000 },
    ],
  };
  const mapping = {
    indicator: '$.overall.state',
    description: '$.overall.text',
    components: { list: '$.services', name: '$.label', status: '$.health' },
    incidents: {
      list: '$.events',
      id: '$.uid',
      title: '$.summary',
      impact: '$.level',
      status: '$.phase',
      startedAt: '$.opened',
      updatedAt: '$.touched',
      url: '$.link',
      components: '$.affects',
    },
    values: { green: 'operational', amber: 'minor', red: 'major' },
  };

  it('reads each field through its path and maps the words', () => {
    const s = parseStatusPage(doc, { format: 'json', mapping }, NOW);
    expect(s.indicator).toBe('minor');
    expect(s.description).toBe('Some systems degraded');
    expect(s.components).toEqual([
      { name: 'Checkout', status: 'major' },
      { name: 'Search', status: 'operational' },
    ]);
    expect(s.declarations[0]).toMatchObject({
      kind: 'incident',
      externalId: '17',
      title: 'Checkout failures',
      impact: 'major',
      status: 'investigating',
      startedAt: new Date(1741082640 * 1000),
      lastUpdateAt: new Date('2025-03-04T10:12:00Z'),
      url: 'https://status.acme.example/e/17',
      components: ['Checkout'],
      ended: false,
    });
    expect(s.declarations[1]).toMatchObject({ externalId: '16', ended: true });
  });

  it('says which path did not hold a list', () => {
    expect(() =>
      parseStatusPage(
        { events: 'nope' },
        { format: 'json', mapping: { ...mapping, components: undefined } },
        NOW,
      ),
    ).toThrow('expected a list at $.events (mapping.incidents.list)');
  });

  it('readPath takes dots, indexes and quoted keys', () => {
    expect(readPath({ a: [{ 'b c': 3 }] }, "$.a[0]['b c']")).toBe(3);
    expect(readPath({ a: 1 }, '$')).toEqual({ a: 1 });
    expect(readPath({ a: 1 }, '$.b.c')).toBeUndefined();
  });
});

describe('declarationView', () => {
  const row = (over: Partial<DeclarationRow>): DeclarationRow => ({
    provider: 'github',
    kind: 'incident',
    externalId: 'x',
    title: 'Elevated API error rates',
    impact: 'major',
    status: 'identified',
    components: ['API Requests'],
    url: null,
    startedAt: new Date('2025-03-04T10:04:00Z'),
    scheduledUntil: null,
    resolvedAt: null,
    lastUpdateAt: new Date('2025-03-04T10:12:00Z'),
    updates: [],
    firstSeenAt: new Date('2025-03-04T10:05:00Z'),
    lastSeenAt: NOW,
    endedSeenAt: null,
    ...over,
  });
  const poll = {
    lastOkAt: NOW,
    lastErrorAt: null,
    lastError: null,
    components: [
      { name: 'API Requests', status: 'partial_outage' },
      { name: 'Webhooks', status: 'degraded_performance' },
    ],
    indicator: 'major',
    description: 'Partial System Outage',
    pageUrl: 'https://www.githubstatus.com',
  } as StatusPagePoll;

  it('keeps to the components that matter, and tells a component status only when no incident explains it', () => {
    const only = declarationView(
      'github',
      'GitHub',
      { components: ['webhooks'] },
      poll,
      [row({})],
      NOW.getTime(),
    );
    expect(only.items).toEqual([
      expect.objectContaining({
        kind: 'component',
        title: 'Webhooks: degraded performance',
        impact: 'minor',
      }),
    ]);
    const all = declarationView('github', 'GitHub', {}, poll, [row({})], NOW.getTime());
    expect(all.items.map((i) => i.title)).toEqual(['Elevated API error rates']);
    expect(all.stale).toBe(false);
  });

  it('a declared maintenance window runs from its start to its completion, else its scheduled end', () => {
    const m = row({
      kind: 'maintenance',
      externalId: 'm',
      startedAt: new Date('2025-03-08T03:00:00Z'),
      scheduledUntil: new Date('2025-03-08T03:30:00Z'),
    });
    const range = { from: Date.parse('2025-03-08T00:00:00Z'), to: Date.parse('2025-03-09T00:00:00Z') };
    expect(declaredMaintenanceWindows([m], range, NOW.getTime())).toEqual([
      {
        provider: 'github',
        id: 'github:m',
        from: Date.parse('2025-03-08T03:00:00Z'),
        to: Date.parse('2025-03-08T03:30:00Z'),
      },
    ]);
    const early = {
      ...m,
      resolvedAt: new Date('2025-03-08T03:10:00Z'),
      endedSeenAt: new Date('2025-03-08T03:11:00Z'),
    };
    expect(declaredMaintenanceWindows([early], range, NOW.getTime())[0]?.to).toBe(
      Date.parse('2025-03-08T03:10:00Z'),
    );
    // declared after it began: it counts from when it was first seen, not retroactively
    const late = { ...m, firstSeenAt: new Date('2025-03-08T03:20:00Z') };
    expect(declaredMaintenanceWindows([late], range, NOW.getTime())[0]?.from).toBe(
      Date.parse('2025-03-08T03:20:00Z'),
    );
  });
});
