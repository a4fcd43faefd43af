import { gunzipSync } from 'node:zlib';
import { apiSchema } from '@vigil/config';
import { rollupHour, type HourlyRollup, type Incident } from '@vigil/core';
import { claimStatusPoll, insertIncidents, storeStatusSnapshot, writeCumulative } from '@vigil/db';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sharedStatus } from '../snapshot.js';
import { apiHarness, config, spec, type ApiHarness } from '../testing/harness.js';

const HOSTILE = '<script>alert(1)</script>';
const ATTR = '"onerror=alert(2) x="';

const probes = () => [
  spec({ id: 'stripe-balance', name: HOSTILE, provider: 'stripe', service: 'payments' }),
  spec({ id: 'adyen-pay', name: 'Adyen pay', provider: 'adyen', service: 'payments' }),
  spec({ id: 'mailgun-send', name: ATTR, provider: 'mailgun', service: 'email' }),
  spec({ id: 'sendgrid-send', name: 'Sendgrid send', provider: 'sendgrid', service: 'email' }),
];

/** payments fails over (any), email needs both (all); stripe and mailgun fail from minute 5 on. */
function outageConfig(statusPage: Record<string, unknown> = {}) {
  return config(probes(), {
    services: {
      payments: { name: `Payments ${HOSTILE}`, providers: ['stripe', 'adyen'], mode: 'any' },
      email: { name: `Email ${ATTR}`, providers: ['mailgun', 'sendgrid'], mode: 'all' },
    },
    maintenance: [
      {
        id: 'db-upgrade',
        reason: `Upgrade ${HOSTILE}`,
        match: { providers: ['adyen'] },
        start: '2025-03-05T22:00:00Z',
        duration: 3_600_000,
      },
    ],
    api: apiSchema().parse({
      statusPage: { title: `Acme ${ATTR} status`, providers: true, ...statusPage },
    }),
  } as never);
}

const failing = (id: string, _r: string, m: number) =>
  (id === 'stripe-balance' || id === 'mailgun-send') && m >= 2 ? 'down' : 'up';

/** The section of a service, from its card's opening tag to the next card. */
function card(page: string, id: string): string {
  const at = page.indexOf(`href="/services/${id}"`);
  expect(at).toBeGreaterThan(0);
  const end = page.indexOf('<section class="svc"', at);
  return page.slice(at, end < 0 ? undefined : end);
}

let h: ApiHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

// one store for the whole outage, its tests in order: during the outage, then after recovery
describe('the status page during an outage', () => {
  let o: ApiHarness;
  beforeAll(async () => {
    o = await apiHarness({ config: outageConfig() });
    await o.run(0, 10, failing);
  }, 120_000);
  afterAll(() => o.close());

  it('shows a failover service up, an all-providers service down with its open incident, providers and maintenance', async () => {
    const h = o;
    const res = await h.request('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const page = await res.text();
    expect(page).toContain('<main id="main"');
    expect(page).toContain(
      '<title>Some services are down · Acme &quot;onerror=alert(2) x=&quot; status</title>',
    );
    expect(page).toContain('Some services are down');

    const payments = card(page, 'payments');
    expect(payments).toContain('<span class="state ok">Operational</span>');
    expect(payments).toContain('Up while any provider is up');
    expect(payments).toMatch(/<span class="pname">stripe<\/span> <span class="state bad">Down<\/span>/);
    expect(payments).toMatch(/<span class="pname">adyen<\/span> <span class="state ok">Operational<\/span>/);

    const email = card(page, 'email');
    expect(email).toContain('<span class="state bad">Down</span>');
    expect(email).toContain('Up while every provider is up');

    // the open incidents name the service (and the failed providers), never a probe
    const open = page.slice(page.indexOf('Open incidents'), page.indexOf('id="services"'));
    expect(open).toContain('<strong>Email &quot;onerror=alert(2) x=&quot;</strong> down');
    expect(open).toContain('<strong>stripe</strong> (provider) down');
    expect(open).not.toContain('<strong>Payments');
    expect(open).toMatch(/ongoing for \d+ min/);

    // 90 bars per strip; today's has the day's figures and the incident, and only it is a tab stop
    expect(email.match(/<li class="[a-z]"( tabindex="0")?>/g)).toHaveLength(90);
    expect(email.match(/<li class="[a-z]" tabindex="0"><span>([^<]*)</g)).toEqual([
      expect.stringMatching(/tabindex="0"><span>3 Mar 2025: /),
    ]);
    expect(payments).not.toContain('tabindex="0"');
    expect(email).toMatch(/3 Mar 2025: \d+\.\d\d% available · downtime \d+ min · 1 incident/);
    expect(payments).toContain('3 Mar 2025: 100% available · downtime none · no incidents');
    expect(email).toContain(
      'aria-label="Email &quot;onerror=alert(2) x=&quot;: availability per day, last 90 days"',
    );
    expect(page).toContain('<span>2 Mar 2025: no data</span>');
    expect(page).toMatch(/<link rel="stylesheet" href="\/assets\/status.css\?v=[\w-]{10}">/);
    expect(email).toMatch(/<dt>24 hours<\/dt><dd>\d+\.\d\d%<span class="vh"> \(below target\)<\/span>/);
    expect(email).toContain('<dt>Target</dt><dd>98%</dd>');

    const maint = page.slice(page.indexOf('Scheduled maintenance'), page.indexOf('Past incidents'));
    expect(maint).toContain('<strong>Upgrade &lt;script&gt;alert(1)&lt;/script&gt;</strong>');
    expect(maint).toContain('5 Mar 2025, 22:00 UTC');
    expect(maint).toContain('Payments &lt;script&gt;');

    // no probe details, no URLs, no hostile markup
    for (const secret of ['stripe-balance', 'mailgun-send', 'api.stripe.com', 'https://', 'Adyen pay'])
      expect(page).not.toContain(secret);
    expect(page).not.toContain('<script');
    expect(page).not.toContain('"onerror=');
  });

  it('shows one public service in detail and 404s the others; hides providers when asked', async () => {
    const h = o;
    h.config = outageConfig({ services: ['email'], providers: false });
    try {
      const page = await (await h.request('/')).text();
      expect(page).toContain('href="/services/email"');
      expect(page).not.toContain('Payments');
      expect(page).not.toContain('mailgun');
      expect(page).not.toContain('(provider)');
      expect((await h.request('/services/payments')).status).toBe(404);
      expect((await h.request('/services/nope')).status).toBe(404);
      const detail = await h.request('/services/email');
      expect(detail.status).toBe(200);
      const d = await detail.text();
      expect(d).toContain('<h1 class="sname">Email &quot;onerror=alert(2) x=&quot;</h1>');
      expect(d).toContain('<span class="state bad">Down</span>');
      expect(d).toContain('<strong>Email &quot;onerror=alert(2) x=&quot;</strong> down');
      expect(d).not.toContain('Upgrade'); // the maintenance covers payments only
      expect(d).not.toContain('mailgun');
    } finally {
      h.config = outageConfig();
    }
  });

  it('lists resolved incidents in the history once the providers recover', async () => {
    const h = o;
    await h.run(10, 14);
    const page = await (await h.request('/')).text();
    expect(page).not.toContain('Open incidents');
    expect(page).toContain('All services are operational');
    const past = page.slice(page.indexOf('Past incidents'));
    expect(past).toMatch(
      /<strong>Email &quot;onerror=alert\(2\) x=&quot;<\/strong> down<\/p><p class="iwhen"><time datetime="2025-03-03T10:0[2-9][^"]*">3 Mar 2025, 10:0\d UTC<\/time> – <time[^>]*>3 Mar 2025, 10:1\d UTC<\/time> · lasted \d+ min/,
    );
  });
});

describe('caching and size', () => {
  it('answers If-None-Match with 304 and no body, and the stylesheet likewise', async () => {
    h = await apiHarness({ config: outageConfig() });
    await h.run(0, 3);
    const first = await h.request('/');
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(first.headers.get('cache-control')).toMatch(/max-age=\d+/);
    const again = await h.request('/', { headers: { 'if-none-match': `W/${etag}` } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect((await h.request('/', { headers: { 'if-none-match': '"other"' } })).status).toBe(200);
    const css = await h.request('/assets/status.css');
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
    expect(await css.text()).toContain('prefers-color-scheme: dark');
    const cssAgain = await h.request('/assets/status.css', {
      headers: { 'if-none-match': css.headers.get('etag')! },
    });
    expect(cssAgain.status).toBe(304);
    // a minute later the page changed: a new validator
    await h.run(3, 4, () => 'down');
    expect((await h.request('/', { headers: { 'if-none-match': etag } })).status).toBe(200);
  }, 90_000);

  it('keeps the first page (HTML + CSS) under 200 KB over the wire with 100 services of 90 days each', async () => {
    const many = Array.from({ length: 100 }, (_, i) =>
      spec({
        id: `p${i}`,
        name: `Probe ${i}`,
        provider: `prov${i}`,
        service: `service-${i}`,
        regions: ['eu'],
      }),
    );
    h = await apiHarness({ config: config(many, { regions: ['eu'] }) });
    const DAY = 86_400_000;
    const today = Date.parse('2025-03-03T00:00:00Z');
    const rows: HourlyRollup[] = [];
    for (let i = 0; i < 100; i++)
      for (const subject of [`service:service-${i}`, `provider:prov${i}`]) {
        let down = 0;
        let up = 0;
        for (let d = 90; d >= 0; d--) {
          const at = today - d * DAY;
          const dayDown = (d * 7 + i) % 13 === 0 ? 37 * 60_000 : 0;
          down += dayDown;
          up += DAY - dayDown;
          rows.push({
            ...rollupHour(subject, at, [{ at, durationMs: 60_000, verdict: 'up', latencyMs: 100 }]),
            upMs: up,
            downMs: down,
          });
        }
      }
    await writeCumulative(h.db.db, rows);
    const incidents: Incident[] = Array.from({ length: 60 }, (_, k) => ({
      id: `inc-${k}`,
      scope: 'service',
      key: `service-${k % 100}`,
      kind: 'down',
      severity: 'page',
      title: 'down',
      provider: null,
      service: `service-${k % 100}`,
      probeId: null,
      openedAt: new Date(today - (k + 1) * DAY),
      resolvedAt: new Date(today - (k + 1) * DAY + 40 * 60_000),
      parentId: null,
      silent: false,
      flapping: false,
      detail: {},
      updatedAt: new Date(today),
    })) as Incident[];
    await insertIncidents(h.db.db, incidents);
    const res = await h.request('/', { headers: { 'accept-encoding': 'gzip' } });
    expect(res.headers.get('content-encoding')).toBe('gzip');
    const wire = new Uint8Array(await res.arrayBuffer());
    const css = new Uint8Array(
      await (await h.request('/assets/status.css', { headers: { 'accept-encoding': 'gzip' } })).arrayBuffer(),
    );
    const page = gunzipSync(wire).toString('utf8');
    expect(page.match(/<section class="svc"/g)).toHaveLength(100);
    // tab stops only on the days with something to tell (here: 37 min down or an incident)
    const stops = [...page.matchAll(/<li class="[a-z]" tabindex="0"><span>([^<]*)</g)].map((m) => m[1]!);
    expect(stops.length).toBeGreaterThan(100);
    expect(stops.length).toBeLessThan(100 * 30);
    expect(stops.filter((t) => !/downtime 37 min|\d incidents?$/.test(t))).toEqual([]);
    expect(page).toMatch(/downtime 37 min/);
    expect(page.match(/<li class="inc bad">/g)?.length).toBe(20);
    expect(wire.length + css.length).toBeLessThan(200 * 1024);
    console.info(
      `status page, 100 services: ${page.length} bytes of HTML, ${wire.length} gzip + ${css.length} CSS over the wire`,
    );
  }, 120_000);
});

describe("the providers' own status pages", () => {
  it('shows what a provider declares beside our state, escaped, and nothing for one that declares nothing', async () => {
    const cfg = outageConfig();
    cfg.providers = {
      stripe: {
        name: 'Stripe',
        statusPage: { url: 'https://status.stripe.test/api/v2/summary.json' } as never,
      },
      adyen: { statusPage: { url: 'https://status.adyen.test/api/v2/summary.json' } as never },
    };
    h = await apiHarness({ config: cfg });
    const now = new Date(h.clock.now());
    for (const provider of ['stripe', 'adyen']) {
      await claimStatusPoll(h.db.db, {
        provider,
        url: `https://${provider}.test`,
        holder: 't',
        now,
        intervalMs: 60_000,
      });
    }
    await storeStatusSnapshot(
      h.db.db,
      'stripe',
      {
        indicator: 'major',
        description: 'Partial System Outage',
        pageUrl: 'https://status.stripe.test',
        components: [],
        declarations: [
          {
            kind: 'incident',
            externalId: 'inc-1',
            title: `Elevated API errors ${HOSTILE}`,
            impact: 'major',
            status: 'investigating',
            components: [],
            url: null,
            startedAt: new Date(now.getTime() - 60_000),
            scheduledUntil: null,
            resolvedAt: null,
            lastUpdateAt: null,
            updates: [],
            ended: false,
          },
        ],
      },
      { etag: null, lastModified: null },
      now,
    );
    await storeStatusSnapshot(
      h.db.db,
      'adyen',
      {
        indicator: 'none',
        description: 'All Systems Operational',
        pageUrl: null,
        components: [],
        declarations: [],
      },
      { etag: null, lastModified: null },
      now,
    );
    const page = await (await h.request('/')).text();
    const payments = card(page, 'payments');
    expect(payments).toContain(
      `Its status page declares: <a href="https://status.stripe.test" rel="noopener nofollow">Elevated API errors &lt;script&gt;alert(1)&lt;/script&gt; (major)</a>`,
    );
    expect(payments.match(/Its status page declares/g)).toHaveLength(1);
    // the status the JSON API serves carries every provider's declarations, whatever it declares
    const status = await sharedStatus(h.deps, cfg);
    expect(status.declarations.map((d) => [d.key, d.indicator, d.items.length])).toEqual([
      ['adyen', 'none', 0],
      ['stripe', 'major', 1],
    ]);
  });
});
