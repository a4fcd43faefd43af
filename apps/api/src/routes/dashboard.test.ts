import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { apiSchema } from '@vigil/config';
import type { Incident } from '@vigil/core';
import type { LatencySeries } from '@vigil/evaluation';
import {
  claimStatusPoll,
  insertIncidents,
  listSilences,
  openIncidents,
  storeStatusSnapshot,
} from '@vigil/db';
import { apiHarness, config, MIN, spec, type ApiHarness } from '../testing/harness.js';
import { liveFeedOf } from './dashboard.js';
import { SNAPSHOT_STALE_MS } from '../snapshot.js';

const HOSTILE = '<img src=x onerror=alert(1)>';
const R = 'read-token-1';
const W = 'write-token-2';
const api = apiSchema().parse({
  tokens: [
    { name: 'grafana', token: '${env:VIGIL_TOKEN_R}' },
    { name: 'oncall', token: '${env:VIGIL_TOKEN_W}', scopes: ['write'] },
  ],
});
const probes = [
  spec({ id: 'stripe-balance', name: 'Stripe balance', provider: 'stripe', service: 'payments' }),
  spec({ id: 'adyen-auth', name: 'Adyen auth', provider: 'adyen', service: 'payments', regions: ['eu'] }),
  spec({
    id: 'twilio-sms',
    name: `Twilio ${HOSTILE}`,
    provider: 'twilio',
    service: 'messaging',
    regions: ['us'],
  }),
];

let h: ApiHarness;
beforeEach(async () => {
  h = await apiHarness({
    config: { ...config(probes), api },
    env: { VIGIL_TOKEN_R: R, VIGIL_TOKEN_W: W },
  });
});
afterEach(() => h.close());

const text = async (path: string, token?: string) => {
  const res = await h.request(path, { token });
  expect(res.status).toBe(200);
  return res.text();
};
/** The ids of the probe rows not hidden by the filter. */
const shownRows = (page: string) =>
  [...page.matchAll(/<tr data-probe="([^"]+)"[^>]*?( class="hidden")?>/g)]
    .filter((m) => !m[2])
    .map((m) => m[1]);

describe('GET /dashboard', () => {
  it('needs a read caller: 401 without a token, the page with a bearer token or ?token=', async () => {
    expect((await h.request('/dashboard')).status).toBe(401);
    expect((await h.request('/dashboard?token=nope')).status).toBe(401);
    expect((await h.request('/dashboard/events')).status).toBe(401);
    expect((await h.request('/dashboard/probes/stripe-balance')).status).toBe(401);
    expect(await text('/dashboard', R)).toContain('Stripe balance');
    const page = await text(`/dashboard?token=${R}`);
    // the token is kept in the links and the event stream's URL
    expect(page).toContain(`href="/dashboard/probes/stripe-balance?token=${R}"`);
    expect(page).toContain(`data-events="/dashboard/events?token=${R}"`);
    // read-only callers get no write forms
    expect(page).not.toContain('/dashboard/actions/');
    expect(await text(`/dashboard?token=${W}`)).toContain('action="/dashboard/actions/silences?token=');
  });

  it('lists every probe with state, regions, error class, last error and latency', async () => {
    await h.run(0, 5, (id, region) => (id === 'stripe-balance' && region === 'us' ? 'down' : 'up'));
    const page = await text('/dashboard', R);
    const row = page.match(/<tr data-probe="stripe-balance"[\s\S]*?<\/tr>/)![0];
    expect(row).toContain('eu, us (failing)');
    expect(row).toContain('http_status');
    expect(row).toContain('expected status 200, got 503');
    expect(row).toContain('120 ms');
    expect(row).toMatch(/state state-(up|degraded)/);
    expect(page).toMatch(/<tr data-probe="adyen-auth"[\s\S]*?state-up/);
  });

  it('filters by service, provider, region, state and id search as query parameters', async () => {
    await h.run(0, 5, (id) => (id === 'adyen-auth' ? 'down' : 'up'));
    expect(shownRows(await text('/dashboard', R))).toEqual(['stripe-balance', 'adyen-auth', 'twilio-sms']);
    expect(shownRows(await text('/dashboard?service=payments', R))).toEqual(['stripe-balance', 'adyen-auth']);
    expect(shownRows(await text('/dashboard?provider=twilio', R))).toEqual(['twilio-sms']);
    expect(shownRows(await text('/dashboard?region=us', R))).toEqual(['stripe-balance', 'twilio-sms']);
    expect(shownRows(await text('/dashboard?state=down', R))).toEqual(['adyen-auth']);
    expect(shownRows(await text('/dashboard?q=BAL', R))).toEqual(['stripe-balance']);
    expect(shownRows(await text('/dashboard?service=payments&region=us', R))).toEqual(['stripe-balance']);
    const none = await text('/dashboard?q=nothing-like-this', R);
    expect(shownRows(none)).toEqual([]);
    expect(none).toContain('No probe matches these filters.');
    // the form keeps what was chosen
    expect(await text('/dashboard?provider=twilio', R)).toContain('<option value="twilio" selected>');
  });

  it('escapes hostile probe names, target error messages and query values', async () => {
    const p = probes[2]!;
    await h.run(
      0,
      2,
      (id, _region, minute) => (id === p.id && minute === 1 ? 'down' : 'up'),
      () => `got ${HOSTILE}"onerror=x`,
    );
    const page = await text(`/dashboard?q=${encodeURIComponent(`"><script>alert(1)</script>`)}`, R);
    expect(page).not.toContain('<img');
    expect(page).not.toContain('<script>alert');
    expect(page).toContain('Twilio &lt;img src=x onerror=alert(1)&gt;');
    expect(page).toContain('got &lt;img src=x onerror=alert(1)&gt;&quot;onerror=x');
    expect(page).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    const probe = await text('/dashboard/probes/twilio-sms', R);
    expect(probe).not.toContain('<img');
    expect(probe).toContain('got &lt;img src=x onerror=alert(1)&gt;');
    // no inline script or style anywhere
    for (const html of [page, probe]) {
      expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>|<style/i);
      const attributes = [...html.matchAll(/<[a-z]+((?:\s+[a-z-]+(?:="[^"]*")?)*)\s*>/gi)].flatMap((m) =>
        [...m[1]!.matchAll(/\s+([a-z-]+)(?:="[^"]*")?/gi)].map((a) => a[1]!.toLowerCase()),
      );
      expect(attributes.length).toBeGreaterThan(30);
      expect(attributes.filter((a) => a === 'style' || a.startsWith('on'))).toEqual([]);
    }
    // never the probe's URL
    expect(probe).not.toContain('api.stripe.com');
    expect(page).not.toContain('https://api.');
  });

  it('shows the incidents timeline with grouped children and the active silences', async () => {
    await h.run(0, 8, (id) => (id === 'twilio-sms' ? 'up' : 'down'));
    expect(timelineOf(await text('/dashboard', R))).toContain('<b>payments</b>');
    // a service incident with a provider under it and a probe under that, as the grouping records them
    const at = new Date(h.clock.now() - 20 * MIN);
    const row = (id: string, scope: Incident['scope'], key: string, parentId: string | null): Incident => ({
      id,
      scope,
      key,
      kind: 'down',
      severity: 'page',
      title: `${key} is down`,
      provider: scope === 'service' ? null : 'twilio',
      service: 'messaging',
      probeId: scope === 'probe' ? key : null,
      openedAt: at,
      resolvedAt: scope === 'probe' ? new Date(h.clock.now() - 5 * MIN) : null,
      parentId,
      silent: parentId !== null,
      flapping: false,
      detail: {},
      updatedAt: at,
      acknowledgedAt: null,
      acknowledgedBy: null,
      acknowledgeNote: null,
    });
    await insertIncidents(h.db.db, [
      row('inc_svc', 'service', 'messaging', null),
      row('inc_prov', 'provider', 'twilio', 'inc_svc'),
      row('inc_probe', 'probe', 'twilio-sms', 'inc_prov'),
    ]);
    // a write made elsewhere (here: straight into the store) shows once the page's snapshot is too old to
    // serve while it refreshes
    h.clock.advance(SNAPSHOT_STALE_MS);
    const timeline = timelineOf(await text(`/dashboard?token=${W}`));
    expect(timeline).toMatch(
      /<li data-incident="inc_svc">[\s\S]*?<ol aria-label="grouped incidents"><li data-incident="inc_prov">[\s\S]*?<ol aria-label="grouped incidents"><li data-incident="inc_probe" class="resolved">/,
    );
    expect(timeline).toMatch(/resolved after 15m/);
    // only top-level open incidents have a quick silence
    expect(timeline).toContain('name="target" value="inc_svc"');
    expect(timeline).not.toContain('name="target" value="inc_prov"');
    expect(await text('/dashboard', R)).toContain('No active silences.');
  });
});

const timelineOf = (page: string) =>
  page.match(/<ol class="timeline" id="timeline">([\s\S]*?)<\/section>/)![1]!;

describe('GET /dashboard/probes/{id}', () => {
  it('shows the probe with ranges, recent results, its incidents; 404 for an unknown probe', async () => {
    await h.run(0, 6, (id, _r, m) => (id === 'adyen-auth' && m >= 2 ? 'down' : 'up'));
    const page = await text('/dashboard/probes/adyen-auth?range=1h', R);
    expect(page).toContain('<h1>Adyen auth');
    expect(page).toContain('href="/dashboard/probes/adyen-auth?range=1h" aria-current="page"');
    expect(page).toContain('data-series="/dashboard/probes/adyen-auth/series?range=1h"');
    expect(page).toContain('<script src="/assets/uplot.js" defer>');
    expect(page.match(/<table id="results">[\s\S]*?<\/table>/)![0].match(/<tr>/g)).toHaveLength(6 + 1);
    expect(page).toMatch(
      /<li data-incident="inc_[^"]+"><span class="kind">down · probe<\/span> <b>Adyen auth/,
    );
    expect((await h.request('/dashboard/probes/nope', { token: R })).status).toBe(404);
  });

  it('serves the latency series: per slot from results for 1h, per hour from rollups for 7d', async () => {
    await h.run(0, 70);
    const series = async (range: string) =>
      (await (
        await h.request(`/dashboard/probes/stripe-balance/series?range=${range}`, { token: R })
      ).json()) as LatencySeries;
    const short = await series('1h');
    expect(short.source).toBe('results');
    expect(short.points.length).toBeGreaterThanOrEqual(59);
    expect(short.points[0]).toEqual({
      at: expect.any(Number),
      dnsMs: 1,
      connectMs: 2,
      tlsMs: 3,
      ttfbMs: 110,
      transferMs: 1,
      totalMs: 120,
    });
    const long = await series('7d');
    expect(long.source).toBe('rollups');
    expect(long.points.length).toBeGreaterThanOrEqual(1);
    expect(long.points[0]).toMatchObject({ dnsMs: 1, connectMs: 2, tlsMs: 3, ttfbMs: 110, transferMs: null });
  });

  it('serves its script and styles from this origin, uPlot included', async () => {
    for (const [path, type] of [
      ['/assets/dashboard.js', 'javascript'],
      ['/assets/dashboard.css', 'css'],
      ['/assets/uplot.js', 'javascript'],
      ['/assets/uplot.css', 'css'],
    ] as const) {
      const res = await h.request(path);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain(type);
    }
    expect(await (await h.request('/assets/uplot.js')).text()).toContain('uPlot');
  });
});

describe('GET /dashboard/incidents/{id}', () => {
  const hostileRow = (id: string, over: Partial<Incident> = {}): Incident => {
    const at = new Date(h.clock.now() - 30 * MIN);
    return {
      id,
      scope: 'provider',
      key: 'twilio',
      kind: 'down',
      severity: 'page',
      title: `Twilio ${HOSTILE} is down`,
      provider: 'twilio',
      service: 'messaging',
      probeId: null,
      openedAt: at,
      resolvedAt: null,
      parentId: null,
      silent: false,
      flapping: false,
      detail: {},
      updatedAt: at,
      acknowledgedAt: null,
      acknowledgedBy: null,
      acknowledgeNote: null,
      ...over,
    };
  };

  it('shows an outage: facts, duration, probe links, actions; the timeline links to it', async () => {
    await h.run(0, 8, (id) => (id === 'twilio-sms' ? 'up' : 'down'));
    const open = await openIncidents(h.db.db);
    const service = open.find((i) => i.scope === 'service' && i.key === 'payments')!;
    const probe = open.find((i) => i.scope === 'probe' && i.key === 'adyen-auth')!;
    expect(service).toBeDefined();
    expect(probe).toBeDefined();
    // the timeline links every incident to its page, token kept
    const dash = await text(`/dashboard?token=${R}`);
    for (const i of open)
      expect(timelineOf(dash)).toContain(`href="/dashboard/incidents/${i.id}?token=${R}"`);

    const page = await text(`/dashboard/incidents/${service.id}?token=${W}`);
    expect(page).toContain(
      `<h1 id="incident-title">${service.title} <span class="state state-down">open</span>`,
    );
    const facts = page.match(/<p class="facts" id="incident-facts">[\s\S]*?<\/p>/)![0];
    expect(facts).toContain('scope <b>service</b>');
    expect(facts).toContain('key <b>payments</b>');
    expect(facts).toContain('kind <b>down</b>');
    expect(facts).toContain(`severity <b>${service.severity}</b>`);
    expect(facts).toContain(`datetime="${service.openedAt.toISOString()}"`);
    expect(facts).toMatch(/duration <b><b>open<\/b> for \d+m<\/b>/);
    expect(page).toContain('Not acknowledged.');
    // opened together, nothing is grouped under it (grouped rows: the escaping test); its probes are linked
    expect(page).toContain('No incidents grouped under this one.');
    expect(page).not.toContain('id="parent"');
    expect(page).toContain(`href="/dashboard/probes/stripe-balance?token=${W}"`);
    expect(page).toContain(`href="/dashboard/probes/adyen-auth?token=${W}"`);
    expect(page).not.toContain('/dashboard/probes/twilio-sms');
    // the actions, with the way back to this page
    expect(page).toContain(`action="/dashboard/actions/incidents/${service.id}/acknowledge?token=${W}"`);
    expect(page).toContain(`name="target" value="${service.id}"`);
    expect(page).toContain(`name="back" value="/dashboard/incidents/${service.id}"`);
    // read-only: no forms
    expect(await text(`/dashboard/incidents/${service.id}?token=${R}`)).not.toContain('/dashboard/actions/');

    // a probe incident links its own probe only
    const own = await text(`/dashboard/incidents/${probe.id}`, R);
    expect(own).toContain('href="/dashboard/probes/adyen-auth"');
    expect(own).not.toContain('href="/dashboard/probes/stripe-balance"');

    // acknowledged from its page: back to it with the note; resolved: duration, no forms
    const ack = await h.request(`/dashboard/actions/incidents/${service.id}/acknowledge?token=${W}`, {
      method: 'POST',
      body: new URLSearchParams({ note: 'on it', back: `/dashboard/incidents/${service.id}` }),
    });
    expect(ack.headers.get('location')).toBe(
      `/dashboard/incidents/${service.id}?notice=incident-acknowledged&token=${W}`,
    );
    const acked = await text(`/dashboard/incidents/${service.id}?notice=incident-acknowledged&token=${W}`);
    expect(acked).toContain('Incident acknowledged: its reminders stop.');
    expect(acked).toMatch(
      /Acknowledged by <b>oncall<\/b> at <time[^>]*>[^<]+<\/time>: <span id="ack-note">on it<\/span>/,
    );
    expect(acked).not.toContain(`/dashboard/actions/incidents/${service.id}/acknowledge`);
    expect(acked).toContain('Silence this incident');
    await h.run(8, 16);
    const resolved = await text(`/dashboard/incidents/${service.id}?token=${W}`);
    expect(resolved).toContain('<span class="state state-up">resolved</span>');
    expect(resolved).toMatch(/duration <b>\d+m<\/b>/);
    expect(resolved).not.toContain('/dashboard/actions/');
  });

  it('needs a read caller (bearer or ?token=): 401 without; 404 page for an unknown id', async () => {
    await insertIncidents(h.db.db, [hostileRow('inc_x')]);
    expect((await h.request('/dashboard/incidents/inc_x')).status).toBe(401);
    expect((await h.request('/dashboard/incidents/inc_x?token=nope')).status).toBe(401);
    expect((await h.request(`/dashboard/incidents/inc_x?token=${R}`)).status).toBe(200);
    const missing = await h.request(`/dashboard/incidents/inc_nope?token=${R}`);
    expect(missing.status).toBe(404);
    const body = await missing.text();
    expect(body).toContain('<h1>No such incident</h1>');
    expect(body).toContain(`href="/dashboard?token=${R}"`);
  });

  it('escapes a hostile title, key, acknowledger and note', async () => {
    await insertIncidents(h.db.db, [
      hostileRow('inc_parent', { scope: 'service', key: 'messaging', title: `svc ${HOSTILE}` }),
      hostileRow('inc_hostile', {
        parentId: 'inc_parent',
        key: `twilio"${HOSTILE}`,
        acknowledgedAt: new Date(h.clock.now() - MIN),
        acknowledgedBy: `eve ${HOSTILE}`,
        acknowledgeNote: `note ${HOSTILE}`,
      }),
      hostileRow('inc_child', {
        parentId: 'inc_hostile',
        scope: 'probe',
        key: 'twilio-sms',
        probeId: 'twilio-sms',
      }),
    ]);
    const page = await text(`/dashboard/incidents/inc_hostile?token=${W}`);
    expect(page).not.toContain('<img');
    expect(page).toContain('Twilio &lt;img src=x onerror=alert(1)&gt; is down');
    expect(page).toContain('key <b>twilio&quot;&lt;img src=x onerror=alert(1)&gt;</b>');
    expect(page).toContain('eve &lt;img');
    expect(page).toContain('note &lt;img');
    expect(page).toContain('svc &lt;img');
    // its parent and its child, each linking its own page
    expect(page).toMatch(
      /id="parent"[\s\S]*?<li data-incident="inc_parent">[\s\S]*?href="\/dashboard\/incidents\/inc_parent\?token=/,
    );
    expect(page).toMatch(
      /id="children"><li data-incident="inc_child">[\s\S]*?href="\/dashboard\/incidents\/inc_child\?token=/,
    );
    expect(await text(`/dashboard/incidents/inc_parent?token=${R}`)).toMatch(
      /id="children"><li data-incident="inc_hostile">/,
    );
    // the probe's name is hostile too
    expect(page).toContain('Twilio &lt;img src=x onerror=alert(1)&gt;</a>');
    expect(page).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>|<style|<[a-z][^>]*\s(on[a-z]+|style)=/i);
  });
});

describe('write actions', () => {
  const post = (path: string, form: Record<string, string>, headers: Record<string, string> = {}) =>
    h.request(path, { method: 'POST', body: new URLSearchParams(form), headers });

  it('creates a silence for a probe and expires it, redirecting back with a message', async () => {
    const res = await post(`/dashboard/actions/silences?token=${W}`, {
      target: 'stripe-balance',
      duration: '2h',
      reason: `deploy ${HOSTILE}`,
      back: '/dashboard/probes/stripe-balance',
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(
      `/dashboard/probes/stripe-balance?notice=silence-created&token=${W}`,
    );
    const [s] = await listSilences(h.db.db, new Date(h.clock.now()));
    expect(s).toMatchObject({ target: 'stripe-balance', reason: `deploy ${HOSTILE}`, createdBy: 'oncall' });
    expect(s!.endsAt.getTime() - h.clock.now()).toBe(2 * 3_600_000);
    const page = await text(`/dashboard?notice=silence-created&token=${W}`);
    expect(page).toContain('Silence created.');
    expect(page).toContain('deploy &lt;img');
    const expire = await post(`/dashboard/actions/silences/${s!.id}/expire?token=${W}`, {
      back: '/dashboard',
    });
    expect(expire.headers.get('location')).toBe(`/dashboard?notice=silence-expired&token=${W}`);
    expect(await listSilences(h.db.db, new Date(h.clock.now()))).toEqual([]);
    const again = await post(`/dashboard/actions/silences/${s!.id}/expire?token=${W}`, {});
    expect(again.headers.get('location')).toBe(`/dashboard?notice=silence-missing&token=${W}`);
  });

  it('refuses an unknown target, a bad duration and a redirect to another site', async () => {
    const go = async (form: Record<string, string>) =>
      (await post(`/dashboard/actions/silences?token=${W}`, form)).headers.get('location');
    expect(await go({ target: 'nope', duration: '1h' })).toBe(`/dashboard?notice=silence-target&token=${W}`);
    expect(await go({ target: 'stripe', duration: 'forever' })).toBe(
      `/dashboard?notice=silence-duration&token=${W}`,
    );
    expect(await go({ target: 'stripe', duration: '60d' })).toBe(
      `/dashboard?notice=silence-duration&token=${W}`,
    );
    expect(await go({ target: 'eu', duration: '1h', back: '//evil.example/x' })).toBe(
      `/dashboard?notice=silence-created&token=${W}`,
    );
    expect((await listSilences(h.db.db, new Date(h.clock.now()))).map((s) => s.target)).toEqual(['eu']);
  });

  it('acknowledges an open incident with a note, shown on the dashboard', async () => {
    await h.run(0, 5, (id) => (id === 'adyen-auth' ? 'down' : 'up'));
    const [open] = await openIncidents(h.db.db);
    expect(open).toMatchObject({ scope: 'probe', key: 'adyen-auth', acknowledgedAt: null });
    const before = await text(`/dashboard?token=${W}`);
    expect(before).toContain(`action="/dashboard/actions/incidents/${open!.id}/acknowledge?token=${W}"`);
    const res = await post(`/dashboard/actions/incidents/${open!.id}/acknowledge?token=${W}`, {
      note: `on it ${HOSTILE}`,
    });
    expect(res.headers.get('location')).toBe(`/dashboard?notice=incident-acknowledged&token=${W}`);
    const [acked] = await openIncidents(h.db.db);
    expect(acked).toMatchObject({ acknowledgedBy: 'oncall', acknowledgeNote: `on it ${HOSTILE}` });
    const after = await text(`/dashboard?notice=incident-acknowledged&token=${W}`);
    expect(after).toContain('Incident acknowledged: its reminders stop.');
    expect(after).toContain('acknowledged by oncall');
    expect(after).toContain('on it &lt;img');
    expect(after).not.toContain(`/dashboard/actions/incidents/${open!.id}/acknowledge`);
    const missing = await post(`/dashboard/actions/incidents/inc_nope/acknowledge?token=${W}`, {});
    expect(missing.headers.get('location')).toBe(`/dashboard?notice=incident-missing&token=${W}`);
    expect((await post(`/dashboard/actions/incidents/${open!.id}/acknowledge?token=${R}`, {})).status).toBe(
      403,
    );
  });

  it('takes from the JSON API write limiter of the caller: a 429 page after the shared burst', async () => {
    const json = () =>
      h.request('/api/v1/silences', {
        method: 'POST',
        token: W,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ target: 'stripe', for: '1h' }),
      });
    const form = { target: 'stripe', duration: '1h', back: '/dashboard/probes/stripe-balance' };
    for (let i = 0; i < 15; i++) expect((await json()).status).toBe(201);
    for (let i = 0; i < 5; i++)
      expect((await post(`/dashboard/actions/silences?token=${W}`, form)).status).toBe(303);
    // the 21st write of oncall, from either surface, is refused
    const limited = await post(`/dashboard/actions/silences?token=${W}`, form);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
    const page = await limited.text();
    expect(page).toContain('Too many changes by oncall: retry in 2 s.');
    expect(page).toContain(`href="/dashboard/probes/stripe-balance?token=${W}"`);
    const ack = await post(`/dashboard/actions/incidents/inc_x/acknowledge?token=${W}`, {});
    expect(ack.status).toBe(429);
    expect((await post(`/dashboard/actions/silences/s_x/expire?token=${W}`, {})).status).toBe(429);
    expect((await json()).status).toBe(429);
    expect(await listSilences(h.db.db, new Date(h.clock.now()))).toHaveLength(20);
    // pages are not limited; a token refills after 2 s
    expect((await h.request(`/dashboard?token=${W}`)).status).toBe(200);
    h.clock.advance(2_000);
    expect((await post(`/dashboard/actions/silences?token=${W}`, form)).status).toBe(303);
    expect((await json()).status).toBe(429);
  });

  it('needs the write scope, POST, and the same origin', async () => {
    const form = { target: 'stripe', duration: '1h' };
    expect((await post('/dashboard/actions/silences', form)).status).toBe(403); // no token, no origin
    expect((await post(`/dashboard/actions/silences?token=${R}`, form)).status).toBe(403);
    expect((await h.request(`/dashboard/actions/silences?token=${W}`)).status).toBe(404);
    const cross = await post(`/dashboard/actions/silences?token=${W}`, form, {
      origin: 'https://evil.example',
    });
    expect(cross.status).toBe(403);
    const site = await post(`/dashboard/actions/silences?token=${W}`, form, {
      'sec-fetch-site': 'cross-site',
    });
    expect(site.status).toBe(403);
    const own = await post(`/dashboard/actions/silences?token=${W}`, form, { origin: 'http://localhost' });
    expect(own.status).toBe(303);
    expect(await listSilences(h.db.db, new Date(h.clock.now()))).toHaveLength(1);
  });
});

describe('GET /dashboard/events', () => {
  it('streams a probe going down and its incident opening, then ends when the reader leaves', async () => {
    await h.run(0, 3);
    const feed = liveFeedOf(h.deps)!;
    const res = await h.request(`/dashboard/events?token=${R}`);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const events = sse(res.body!);
    const snapshot = await events.next('snapshot');
    expect(snapshot.probes.map((p: { id: string; state: string }) => [p.id, p.state])).toEqual([
      ['stripe-balance', 'up'],
      ['adyen-auth', 'up'],
      ['twilio-sms', 'up'],
    ]);
    expect(feed.subscribers).toBe(1);
    await h.run(3, 8, (id) => (id === 'adyen-auth' ? 'down' : 'up'));
    await feed.tick();
    const probe = await events.next('probe');
    expect(probe.probe).toMatchObject({ id: 'adyen-auth', state: 'down', errorClass: 'http_status' });
    const opened = await events.next('incident');
    expect(opened).toMatchObject({ change: 'opened', incident: { scope: 'probe', key: 'adyen-auth' } });
    // nothing changed: nothing sent
    await feed.tick();
    await h.run(8, 12);
    await feed.tick();
    const back = await events.next('probe');
    expect(back.probe).toMatchObject({ id: 'adyen-auth', state: 'up' });
    expect(events.seen('probe')).toBe(2);
    await events.close();
    await waitFor(() => feed.subscribers === 0);
  });
});

/** Reads an SSE body: `next(type)` resolves with the data of the next event of that type. */
function sse(body: ReadableStream<Uint8Array>) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const queue: { event: string; data: unknown }[] = [];
  const counts = new Map<string, number>();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- event payloads are checked by the assertions
  async function next(type: string): Promise<any> {
    for (;;) {
      const i = queue.findIndex((e) => e.event === type);
      if (i >= 0) return queue.splice(i, 1)[0]!.data;
      const { value, done } = await reader.read();
      if (done) throw new Error(`stream ended before a ${type} event`);
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
        const data = block
          .split('\n')
          .filter((l) => l.startsWith('data: '))
          .map((l) => l.slice(6))
          .join('\n');
        counts.set(event, (counts.get(event) ?? 0) + 1);
        if (data !== '') queue.push({ event, data: JSON.parse(data) });
      }
    }
  }
  return { next, seen: (type: string) => counts.get(type) ?? 0, close: () => reader.cancel() };
}

async function waitFor(ok: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !ok(); i++) await new Promise((r) => setImmediate(r));
  expect(ok()).toBe(true);
}

void MIN;

describe("GET /dashboard: the providers' own status pages", () => {
  it('lists what each provider with a status page declares, in the words of the alerts', async () => {
    h.config = {
      ...h.config,
      providers: {
        stripe: { name: 'Stripe', statusPage: { url: 'https://status.stripe.test/summary.json' } as never },
        adyen: { statusPage: { url: 'https://status.adyen.test/summary.json' } as never },
      },
    };
    const now = new Date(h.clock.now());
    for (const provider of ['stripe', 'adyen'])
      await claimStatusPoll(h.db.db, { provider, url: provider, holder: 't', now, intervalMs: 60_000 });
    const snap = (title: string | null) => ({
      indicator: title ? 'major' : 'none',
      description: null,
      pageUrl: null,
      components: [],
      declarations: title
        ? [
            {
              kind: 'incident' as const,
              externalId: 'i1',
              title,
              impact: 'major',
              status: 'investigating',
              components: [],
              url: null,
              startedAt: new Date(Date.parse('2025-03-03T09:58:00Z')),
              scheduledUntil: null,
              resolvedAt: null,
              lastUpdateAt: null,
              updates: [],
              ended: false,
            },
          ]
        : [],
    });
    const none = { etag: null, lastModified: null };
    await storeStatusSnapshot(h.db.db, 'stripe', snap(`Elevated errors ${HOSTILE}`), none, now);
    await storeStatusSnapshot(h.db.db, 'adyen', snap(null), none, now);
    const page = await text('/dashboard', R);
    const card = page.match(/<ul class="declared" id="declared">([\s\S]*?)<\/ul>/)![1]!;
    expect(card).toContain(
      '<li data-provider="stripe" class="declaring">Stripe declares: Elevated errors &lt;img src=x onerror=alert(1)&gt; — major, since 09:58 UTC',
    );
    expect(card).toContain('<li data-provider="adyen">adyen declares nothing (status page read 10:0');
    expect(page).not.toContain('<img');
  });
});
