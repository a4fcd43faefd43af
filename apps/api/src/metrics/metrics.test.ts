import { spawnSync } from 'node:child_process';
import { apiSchema } from '@vigil/config';
import { slotOffsetMs } from '@vigil/core';
import { insertResults, listOutbox } from '@vigil/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiHarness, config, MIN, result, spec, type ApiHarness } from '../testing/harness.js';
import { escapeLabel, negotiate, render } from './exposition.js';

const SECRET = 's3cr3t-metrics-token-value';
const READ = 'read-token-for-metrics';
const URL_PATH = '/v1/balance?key=';

const probes = () => [
  spec({
    id: 'stripe-balance',
    name: 'Stripe <script>alert(1)</script>',
    provider: 'stripe',
    service: 'payments',
    spec: { url: `https://api.stripe.com${URL_PATH}abc`, headers: { authorization: '${env:STRIPE_KEY}' } },
  }),
  spec({ id: 'adyen-pay', name: 'Adyen pay', provider: 'adyen', service: 'payments' }),
  spec({
    id: 'smtp-relay',
    name: 'SMTP relay',
    provider: 'mailgun',
    service: 'email',
    kind: 'tcp',
    spec: {},
  }),
];

const metricsConfig = (api: Record<string, unknown> = {}) =>
  config(probes(), {
    services: { payments: { providers: ['stripe', 'adyen'], mode: 'any' } },
    api: apiSchema().parse({
      tokens: [{ name: 'prom', token: '${env:VIGIL_METRICS_TOKEN}' }],
      ...api,
    }),
  } as never);

/** The value of the one sample of `name` with exactly these labels (in any order). */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = Object.fromEntries(
      [...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1], x[2]]),
    );
    const want = Object.entries(labels);
    if (want.length === Object.keys(got).length && want.every(([k, v]) => got[k] === v)) return Number(m[3]);
  }
  return undefined;
}

const START = Date.parse('2025-03-03T10:00:00Z');
const ADYEN_SLOT = START + 8 * MIN + slotOffsetMs('adyen-pay', MIN);

const hasPromtool = spawnSync('promtool', ['--version']).status === 0;

// the embedded store (PGlite) and the Postgres server of a distributed deployment
describe.each(['pglite', 'postgres'] as const)('/metrics after an outage on %s', (driver) => {
  let h: ApiHarness;
  let text: string;
  let res: Response;
  beforeAll(async () => {
    h = await apiHarness({
      driver,
      config: metricsConfig(),
      env: { VIGIL_METRICS_TOKEN: READ, STRIPE_KEY: SECRET },
    });
    // stripe is down in every region from minute 3 on; the others stay up
    await h.run(0, 8, (id, _r, m) => (id === 'stripe-balance' && m >= 3 ? 'down' : 'up'));
    // minute 8 stored but not judged yet: adyen in eu, whose run saw a certificate with 30 whole days left
    const adyen = h.config.probes.find((p) => p.id === 'adyen-pay')!;
    await insertResults(h.db.db, [{ ...result(adyen, 'eu', ADYEN_SLOT, 'up'), tlsDaysLeft: 30 }]);
    h.clock.set(START + 9 * MIN);
    res = await h.request('/metrics', { token: READ });
    text = await res.text();
  }, 120_000);
  afterAll(() => h.close());

  it('is the Prometheus text format 0.0.4', () => {
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(text).toMatch(/^# HELP probe_success /);
    expect(text).not.toContain('# EOF');
    expect(text).toContain('# TYPE process_cpu_seconds_total counter\n');
  });

  it.skipIf(!hasPromtool)('passes promtool check metrics (Debian package prometheus)', () => {
    const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect({ status: r.status, out: `${r.stdout}${r.stderr}` }).toEqual({ status: 0, out: '' });
  });

  it('shows the down probe as probe_success 0 in every region, the others as 1', () => {
    const labels = (probe: string, provider: string, service: string, region: string) => ({
      probe,
      region,
      provider,
      service,
    });
    for (const region of ['eu', 'us']) {
      expect(sample(text, 'probe_success', labels('stripe-balance', 'stripe', 'payments', region))).toBe(0);
      expect(sample(text, 'probe_success', labels('adyen-pay', 'adyen', 'payments', region))).toBe(1);
      expect(sample(text, 'probe_success', labels('smtp-relay', 'mailgun', 'email', region))).toBe(1);
    }
    const stripeEu = labels('stripe-balance', 'stripe', 'payments', 'eu');
    expect(sample(text, 'probe_http_status_code', stripeEu)).toBe(503);
    // a tcp probe has no HTTP status
    expect(text).not.toMatch(/probe_http_status_code\{probe="smtp-relay"/);
    // the harness's phases: dns 1, connect 2, tls 3, first byte 110, transfer 1, total 120 ms
    expect(sample(text, 'probe_duration_seconds', { ...stripeEu, phase: 'dns' })).toBe(0.001);
    expect(sample(text, 'probe_duration_seconds', { ...stripeEu, phase: 'processing' })).toBe(0.11);
    expect(sample(text, 'probe_duration_seconds', { ...stripeEu, phase: 'total' })).toBe(0.12);
    const adyenEu = labels('adyen-pay', 'adyen', 'payments', 'eu');
    const seen = ADYEN_SLOT + 5;
    expect(sample(text, 'probe_ssl_earliest_cert_expiry', adyenEu)).toBe(
      Math.floor((seen + 30 * 86_400_000) / 1000),
    );
    expect(text).not.toMatch(/probe_ssl_earliest_cert_expiry\{probe="stripe-balance"/);
  });

  it('has the availability, the budget and the open incidents by subject', () => {
    const stripe = { scope: 'probe', key: 'stripe-balance' };
    const a24 = sample(text, 'vigil_availability_ratio', { ...stripe, window: '24h' });
    expect(a24).toBeGreaterThan(0);
    expect(a24).toBeLessThan(1);
    expect(
      sample(text, 'vigil_availability_ratio', { scope: 'probe', key: 'adyen-pay', window: '30d' }),
    ).toBe(1);
    // payments fails over to adyen: the service stays up
    expect(
      sample(text, 'vigil_availability_ratio', { scope: 'service', key: 'payments', window: 'quarter' }),
    ).toBe(1);
    expect(sample(text, 'vigil_availability_target_ratio', stripe)).toBe(0.98);
    expect(sample(text, 'vigil_error_budget_remaining_ratio', { ...stripe, window: '30d' })).toBeLessThan(0);
    expect(sample(text, 'vigil_incident_open', { ...stripe, kind: 'down' })).toBe(1);
    expect(sample(text, 'vigil_incident_open', { scope: 'provider', key: 'stripe', kind: 'down' })).toBe(1);
    expect(sample(text, 'vigil_incident_open', { scope: 'service', key: 'payments', kind: 'down' })).toBe(0);
    expect(sample(text, 'vigil_incident_open', { scope: 'probe', key: 'adyen-pay', kind: 'down' })).toBe(0);
    expect(sample(text, 'vigil_incident_open', { scope: 'monitor', key: 'eu', kind: 'monitor' })).toBe(0);
  });

  it("has the evaluator's progress, the notification queue and the process's own figures", async () => {
    // the harness ticks 2 s after each minute with a 10 s grace: the minute that just ended waits
    expect(sample(text, 'vigil_evaluator_lag_seconds', {})).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'vigil_evaluator_lag_seconds', {})).toBeLessThanOrEqual(62);
    // the adyen result of minute 8 is stored, not judged yet
    expect(sample(text, 'vigil_results_unjudged', {})).toBe(1);
    // no relay runs here: the outage's notifications wait, the oldest since the first alert
    const pending = await listOutbox(h.db.db, { status: 'pending' });
    expect(pending.length).toBeGreaterThan(0);
    expect(sample(text, 'vigil_outbox_pending', {})).toBe(pending.length);
    const oldest = Math.min(...pending.map((o) => o.createdAt.getTime()));
    expect(sample(text, 'vigil_outbox_oldest_pending_age_seconds', {})).toBe(
      (START + 9 * MIN - oldest) / 1000,
    );
    expect(sample(text, 'vigil_probes_configured', {})).toBe(3);
    expect(sample(text, 'vigil_probe_regions_configured', {})).toBe(6);
    expect(sample(text, 'process_resident_memory_bytes', {})).toBeGreaterThan(0);
    expect(sample(text, 'process_cpu_seconds_total', {})).toBeGreaterThan(0);
  });

  it('has no more series than the README formula allows for its config', () => {
    const series = text.split('\n').filter((l) => l !== '' && !l.startsWith('#')).length;
    // Σ 6 probe × region pairs, P 3 probes, V 3 providers, S 2 services, G 2 regions
    const bound = 10 * 6 + 9 * 3 + 8 * 3 + 8 * 2 + 2 * 2 + 15;
    expect(series).toBeLessThanOrEqual(bound);
    expect(series).toBeGreaterThan(bound / 2);
  });

  it('labels with config ids only: no URL, header, secret, name or error message', () => {
    for (const leak of [
      SECRET,
      READ,
      URL_PATH,
      'api.stripe.com',
      'https://',
      '<script>',
      'Stripe ',
      '503,',
      'expected status',
    ])
      expect(text).not.toContain(leak);
    const labelValues = new Set([...text.matchAll(/\w+="([^"]*)"/g)].map((m) => m[1]));
    const allowed = new Set([
      ...['stripe-balance', 'adyen-pay', 'smtp-relay', 'stripe', 'adyen', 'mailgun', 'payments', 'email'],
      ...['eu', 'us', 'probe', 'provider', 'service', 'monitor', 'down', 'degraded', 'slo_burn'],
      ...['24h', '30d', 'quarter', 'dns', 'connect', 'tls', 'processing', 'transfer', 'total'],
    ]);
    expect([...labelValues].filter((v) => !allowed.has(v!))).toEqual([]);
  });

  it('answers OpenMetrics 1.0 when the Accept header asks for it, ending in # EOF', async () => {
    const om = await h.request('/metrics', {
      token: READ,
      // what Prometheus sends
      headers: {
        accept:
          'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1',
      },
    });
    expect(om.headers.get('content-type')).toBe('application/openmetrics-text; version=1.0.0; charset=utf-8');
    const body = await om.text();
    expect(body.endsWith('\n# EOF\n')).toBe(true);
    expect(body.match(/# EOF/g)).toHaveLength(1);
    // counters: the family without _total, the sample with it; units declared for suffixed names
    expect(body).toContain('# TYPE process_cpu_seconds counter\n# UNIT process_cpu_seconds seconds\n');
    expect(body).toMatch(/\nprocess_cpu_seconds_total \d/);
    expect(body).toContain('# UNIT vigil_availability_ratio ratio\n');
    expect(
      sample(body, 'probe_success', {
        probe: 'stripe-balance',
        region: 'eu',
        provider: 'stripe',
        service: 'payments',
      }),
    ).toBe(0);
    // every line is a comment or a sample
    for (const line of body.trimEnd().split('\n'))
      expect(line).toMatch(/^(# (HELP|TYPE|UNIT) [a-z_:]+ .+|# EOF|[a-z_:]+(\{[^}]*\})? -?[0-9.e+]+)$/);
  });
});

describe('/metrics access', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await apiHarness({ config: metricsConfig(), env: { VIGIL_METRICS_TOKEN: READ } });
  }, 60_000);
  afterAll(() => h.close());

  it('needs a read token by default', async () => {
    const none = await h.request('/metrics');
    expect(none.status).toBe(401);
    expect(await none.text()).not.toContain('probe_success');
    expect((await h.request('/metrics', { token: 'wrong' })).status).toBe(401);
    expect((await h.request('/metrics', { token: READ })).status).toBe(200);
  });

  it('is open to anyone with api.metrics.public: true', async () => {
    h.config = metricsConfig({ metrics: { public: true } });
    const res = await h.request('/metrics');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('\nvigil_probes_configured 3\n');
  });
});

describe('exposition', () => {
  it.each([
    [undefined, 'prometheus'],
    ['text/plain', 'prometheus'],
    ['*/*', 'prometheus'],
    ['application/openmetrics-text', 'openmetrics'],
    ['application/openmetrics-text; version=1.0.0', 'openmetrics'],
    ['text/plain;q=0.9, application/openmetrics-text;q=0.5', 'prometheus'],
    ['application/openmetrics-text;q=0', 'prometheus'],
  ] as const)('negotiates %j as %s', (accept, want) => {
    expect(negotiate(accept)).toBe(want);
  });

  it('escapes label values and drops non-finite samples and empty families', () => {
    expect(escapeLabel('a"b\\c\nd')).toBe('a\\"b\\\\c\\nd');
    const out = render(
      [
        { name: 'x', help: 'line\nbreak \\', type: 'gauge', samples: [{ labels: { k: 'v"' }, value: 1.5 }] },
        { name: 'y', help: 'none', type: 'gauge', samples: [{ labels: {}, value: NaN }] },
      ],
      'prometheus',
    );
    expect(out).toBe('# HELP x line\\nbreak \\\\\n# TYPE x gauge\nx{k="v\\""} 1.5\n');
  });

  it('refuses a label name that is not a Prometheus name', () => {
    expect(() =>
      render(
        [{ name: 'x', help: 'h', type: 'gauge', samples: [{ labels: { 'a-b': 'v' }, value: 1 }] }],
        'prometheus',
      ),
    ).toThrow(/invalid label/);
  });
});
