import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { apiSchema, type VigilConfig } from '@vigil/config';
import type { Incident } from '@vigil/core';
import { insertIncidents, listOutbox } from '@vigil/db';
import { readStatus } from '@vigil/evaluation';
import { document } from '../routes/api-v1.js';
import { checkedRequest, type Checked } from '../testing/openapi.js';
import { apiHarness, config, MIN, spec, type ApiHarness } from '../testing/harness.js';

const R = 'read-token-1';
const W = 'write-token-2';
const SECRET = 's3cr3t-token-value';
const ENV = { VIGIL_TOKEN_R: R, VIGIL_TOKEN_W: W, TOKEN: SECRET };
const api = apiSchema().parse({
  tokens: [
    { name: 'grafana', token: '${env:VIGIL_TOKEN_R}' },
    { name: 'oncall', token: '${env:VIGIL_TOKEN_W}', scopes: ['write'] },
  ],
});

const stripe = spec({
  spec: {
    url: 'https://api.stripe.com/v1/balance?key=${env:TOKEN}',
    headers: { authorization: 'Bearer ${env:TOKEN}', 'x-plain': 'visible-in-config' },
  },
});
const paypal = spec({
  id: 'paypal-ping',
  name: 'PayPal ping',
  provider: 'paypal',
  spec: { url: 'https://paypal.example/ping' },
});

function vigil(over: Partial<VigilConfig> = {}): VigilConfig {
  return config([stripe, paypal], {
    api,
    services: {
      payments: { name: 'Payments', providers: ['stripe', 'paypal'], mode: 'any', target: 0.99 },
    } as VigilConfig['services'],
    channels: { oncall: { type: 'slack', webhook: '${env:SLACK_WEBHOOK}' } } as VigilConfig['channels'],
    routes: [{ match: { service: 'payments' }, channels: ['oncall'] }] as VigilConfig['routes'],
    alerting: { failures: { failures: 3, window: 5 }, recovery: 2, reminder: 5 * MIN },
    ...over,
  });
}

let h: ApiHarness;
let req: ReturnType<typeof checkedRequest>;
const bodies: string[] = [];
async function get(path: string, token = R): Promise<Checked> {
  const r = await req(path, { token });
  bodies.push(JSON.stringify(r.body));
  return r;
}
async function send(method: string, path: string, body: unknown, token = W): Promise<Checked> {
  const r = await req(path, {
    method,
    token,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  bodies.push(JSON.stringify(r.body));
  return r;
}

beforeEach(async () => {
  h = await apiHarness({ config: vigil(), env: ENV });
  req = checkedRequest(h, document());
});
afterEach(async () => {
  // no response of any test carries the secret a probe's reference resolves to
  for (const b of bodies) expect(b).not.toContain(SECRET);
  bodies.length = 0;
  await h.close();
});

const stripeDown = (id: string) => (id === 'stripe-balance' ? 'down' : 'up');

describe('/api/v1', () => {
  it('serves its OpenAPI 3.1 document without a token', async () => {
    const r = await req('/api/v1/openapi.json');
    expect(r.status).toBe(200);
    const doc = r.body as {
      openapi: string;
      paths: Record<string, unknown>;
      components: { schemas: object };
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/status', '/api/v1/probes/{id}/results']),
    );
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining(['StatusReport', 'Incident', 'Error']),
    );
  });

  it('refuses a request without a token (401) and a write with a read token (403)', async () => {
    const none = await req('/api/v1/status');
    expect(none.status).toBe(401);
    expect(none.body).toMatchObject({ error: 'unauthorized' });
    const forbidden = await send('POST', '/api/v1/silences', { target: 'stripe', for: '1h' }, R);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body).toMatchObject({
      error: 'forbidden',
      message: 'the token grafana lacks the write scope',
    });
    expect((await req('/api/v1/status', { token: 'nope' })).status).toBe(401);
  });

  it('GET status is exactly what `vigil status --json` prints', async () => {
    await h.run(0, 20, (id, _r, m) => (id === 'stripe-balance' && m >= 10 ? 'down' : 'up'));
    const r = await get('/api/v1/status');
    expect(r.status).toBe(200);
    // the CLI prints JSON.stringify(readStatus(db, config, now))
    const cli: unknown = JSON.parse(JSON.stringify(await readStatus(h.db.db, h.config, h.clock.now())));
    expect(r.body).toEqual(cli);
    expect((r.body as { probes: { state: string }[] }).probes.map((p) => p.state)).toEqual(['down', 'up']);
  });

  it('lists services, providers and probes; a probe spec keeps references and masks header values', async () => {
    const services = await get('/api/v1/services');
    expect(services.body).toEqual({
      items: [
        {
          id: 'payments',
          name: 'Payments',
          mode: 'any',
          target: 0.99,
          providers: ['stripe', 'paypal'],
          declared: true,
        },
      ],
    });
    const providers = await get('/api/v1/providers');
    expect((providers.body as { items: { id: string }[] }).items.map((p) => p.id)).toEqual([
      'paypal',
      'stripe',
    ]);
    const probes = await get('/api/v1/probes');
    expect(JSON.stringify(probes.body)).not.toContain('https://');
    const one = await get('/api/v1/probes/stripe-balance');
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({
      id: 'stripe-balance',
      spec: {
        url: 'https://api.stripe.com/v1/balance?key=${env:TOKEN}',
        headers: { authorization: '••••••', 'x-plain': '••••••' },
      },
    });
    const missing = await get('/api/v1/probes/nope');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ error: 'not_found', message: 'id: no probe nope' });
  });

  it('pages results newest first with a stable cursor, also while new results arrive', async () => {
    await h.run(0, 10);
    const from = '2025-03-03T10:00:00Z';
    const all: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const q = `from=${from}&limit=7${cursor ? `&cursor=${cursor}` : ''}`;
      const r = await get(`/api/v1/probes/stripe-balance/results?${q}`);
      expect(r.status).toBe(200);
      const b = r.body as { items: { slotAt: string; region: string }[]; nextCursor: string | null };
      all.push(...b.items.map((i) => `${i.slotAt} ${i.region}`));
      cursor = b.nextCursor;
      // results stored between two pages are newer: they never shift the pages still to come
      if (pages++ === 0) await h.run(10, 12);
    } while (cursor);
    expect(pages).toBe(3);
    expect(all).toHaveLength(20);
    expect(new Set(all).size).toBe(20);
    expect(all).toEqual([...all].sort().reverse());
    const eu = await get(`/api/v1/probes/stripe-balance/results?from=${from}&region=eu&limit=1000`);
    expect((eu.body as { items: unknown[] }).items).toHaveLength(12);
  });

  it('answers 400 naming the bad parameter', async () => {
    const cases: [string, string][] = [
      ['/api/v1/probes/stripe-balance/results?limit=0', 'limit: '],
      ['/api/v1/probes/stripe-balance/results?limit=abc', 'limit: '],
      ['/api/v1/probes/stripe-balance/results?from=yesterday', 'from: '],
      ['/api/v1/probes/stripe-balance/results?cursor=zzz', 'cursor: '],
      ['/api/v1/incidents?open=maybe', 'open: '],
      ['/api/v1/incidents?scope=planet', 'scope: '],
      ['/api/v1/availability?from=2025-03-04T00:00:00Z&to=2025-03-03T00:00:00Z', 'from: '],
      ['/api/v1/availability/decade', 'period: '],
      ['/api/v1/availability/month?tz=Mars/Olympus', 'tz: '],
      ['/api/v1/reports/month?format=pdf', 'format: '],
    ];
    for (const [path, start] of cases) {
      const r = await get(path);
      expect(r.status, path).toBe(400);
      expect((r.body as { error: string; message: string }).message, path).toMatch(new RegExp(`^${start}`));
    }
    const bad = await send('POST', '/api/v1/silences', { target: 'stripe' });
    expect(bad.body).toMatchObject({ error: 'bad_request', message: expect.stringMatching(/^for: /) });
    const unknown = await send('POST', '/api/v1/silences', { target: 'stripe', for: '1h', extra: 1 });
    expect(unknown.status).toBe(400);
    expect((await send('POST', '/api/v1/silences', { target: 'venus', for: '1h' })).status).toBe(404);
    expect((await get('/api/v1/incidents/inc_nope')).status).toBe(404);
    expect((await send('POST', '/api/v1/incidents/inc_nope/acknowledge', { by: 'alice' })).status).toBe(404);
    expect((await send('DELETE', '/api/v1/silences/sil_nope', undefined)).status).toBe(404);
  });

  it('lists incidents newest first by cursor (ties by id), one with its grouped children', async () => {
    const at = (m: number) => new Date(Date.parse('2025-03-03T09:00:00Z') + m * MIN);
    const row = (
      id: string,
      scope: Incident['scope'],
      m: number,
      over: Partial<Incident> = {},
    ): Incident => ({
      id,
      scope,
      key: scope === 'service' ? 'payments' : scope === 'provider' ? 'stripe' : 'stripe-balance',
      kind: 'down',
      severity: 'page',
      title: `${id} down`,
      provider: 'stripe',
      service: 'payments',
      probeId: null,
      openedAt: at(m),
      resolvedAt: at(m + 30),
      parentId: null,
      silent: false,
      flapping: false,
      detail: {},
      updatedAt: at(m),
      acknowledgedAt: null,
      acknowledgedBy: null,
      acknowledgeNote: null,
      ...over,
    });
    await insertIncidents(h.db.db, [
      row('inc_a', 'service', 0),
      row('inc_b', 'provider', 1, { parentId: 'inc_a', silent: true }),
      row('inc_c', 'probe', 1, { parentId: 'inc_b', silent: true }),
      row('inc_d', 'probe', 1, { parentId: 'inc_b', silent: true }),
      row('inc_e', 'provider', 5, { resolvedAt: null }),
    ]);
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const r = await get(`/api/v1/incidents?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      const b = r.body as { items: { id: string }[]; nextCursor: string | null };
      ids.push(...b.items.map((i) => i.id));
      cursor = b.nextCursor;
    } while (cursor);
    expect(ids).toEqual(['inc_e', 'inc_d', 'inc_c', 'inc_b', 'inc_a']);
    const detail = await get('/api/v1/incidents/inc_b');
    expect(detail.body).toMatchObject({ id: 'inc_b', parentId: 'inc_a' });
    expect((detail.body as { children: { id: string }[] }).children.map((c) => c.id)).toEqual([
      'inc_c',
      'inc_d',
    ]);
    const open = await get('/api/v1/incidents?open=true&scope=provider');
    expect((open.body as { items: { id: string }[] }).items.map((i) => i.id)).toEqual(['inc_e']);
    const probes = await get('/api/v1/incidents?scope=probe&limit=500');
    expect((probes.body as { items: unknown[] }).items).toHaveLength(2);
  });

  it('a silence made through the API holds alerts back, and expiring it lets them through', async () => {
    const created = await send('POST', '/api/v1/silences', {
      target: 'stripe',
      for: '2h',
      reason: 'vendor maintenance',
    });
    expect(created.status).toBe(201);
    const s = created.body as { id: string; createdBy: string; target: string };
    expect(s).toMatchObject({ target: 'stripe', createdBy: 'oncall' });
    expect(
      ((await get('/api/v1/silences')).body as { items: { id: string }[] }).items.map((x) => x.id),
    ).toEqual([s.id]);
    await h.run(0, 8, stripeDown);
    expect(await listOutbox(h.db.db)).toEqual([]);
    expect((await send('DELETE', `/api/v1/silences/${s.id}`, undefined)).status).toBe(204);
    expect(((await get('/api/v1/silences')).body as { items: unknown[] }).items).toEqual([]);
    // the incident stays open; once it recovers, the resolution is no longer held back
    await h.run(8, 12, () => 'up');
    expect((await listOutbox(h.db.db)).map((o) => (o.payload as { event: string }).event)).toContain(
      'resolved',
    );
  });

  it('acknowledging stops the reminders, and the resolution names who acknowledged', async () => {
    await h.run(0, 5, stripeDown);
    const open = await get('/api/v1/incidents?open=true&scope=provider');
    const inc = (open.body as { items: { id: string }[] }).items[0]!;
    const before = (await listOutbox(h.db.db, { incidentId: inc.id })).length;
    const ack = await send('POST', `/api/v1/incidents/${inc.id}/acknowledge`, { by: 'alice', note: 'on it' });
    expect(ack.status).toBe(200);
    expect(ack.body).toMatchObject({ id: inc.id, acknowledgedBy: 'alice', acknowledgeNote: 'on it' });
    expect(ack.body).toMatchObject({ acknowledgedAt: new Date(h.clock.now()).toISOString() });
    // reminders every 5 min: 20 more minutes down would send several
    await h.run(5, 28, stripeDown);
    await h.run(28, 32, () => 'up');
    const events = (await listOutbox(h.db.db, { incidentId: inc.id })).map(
      (o) => o.payload as { event: string; acknowledgedBy?: string | null },
    );
    expect(events.slice(0, before).map((e) => e.event)).toEqual(['opened']);
    expect(events.slice(before).map((e) => e.event)).toEqual(['resolved']);
    expect(events[before]!.acknowledgedBy).toBe('alice');
    const after = await get(`/api/v1/incidents/${inc.id}`);
    expect(after.body).toMatchObject({ acknowledgedBy: 'alice', resolvedAt: expect.any(String) });
  });

  it('without an acknowledgement the same outage sends reminders (the control)', async () => {
    await h.run(0, 28, stripeDown);
    const reminders = (await listOutbox(h.db.db)).filter(
      (o) => (o.payload as { event: string }).event === 'reminder',
    );
    expect(reminders.length).toBeGreaterThan(0);
  });

  it('availability over a window and a calendar period, the same numbers as status', async () => {
    await h.run(0, 60, (id, _r, m) => (id === 'stripe-balance' && m < 6 ? 'down' : 'up'));
    const status = (await get('/api/v1/status')).body as {
      probes: { key: string; availability24h: { availability: number } }[];
    };
    const w = await get(
      '/api/v1/availability?scope=probe&key=stripe-balance&from=2025-03-03T10:00:00Z&to=2025-03-03T11:00:00Z',
    );
    const a = (
      w.body as {
        subjects: { key: string; availability: { availability: number; upMs: number; downMs: number } }[];
      }
    ).subjects;
    expect(a).toHaveLength(1);
    // the window's edges cut the probe's offset slots: close to 54 of 60 minutes up, as status says
    expect(a[0]!.availability.availability).toBeCloseTo(54 / 60, 2);
    expect(a[0]!.availability.availability).toBeCloseTo(status.probes[0]!.availability24h.availability, 2);
    const month = await get('/api/v1/availability/month?tz=Europe/Berlin');
    expect(month.body).toMatchObject({
      from: '2025-02-28T23:00:00.000Z',
      to: '2025-03-31T22:00:00.000Z',
      period: { kind: 'month', key: '2025-03', tz: 'Europe/Berlin' },
    });
    const keyed = await get('/api/v1/availability/2025-W10?scope=service');
    const svc = (keyed.body as { subjects: { scope: string; availability: { upMs: number } }[] }).subjects;
    expect(svc.map((s) => s.scope)).toEqual(['service']);
    // the service was up throughout (paypal covered stripe's outage: mode any)
    expect(svc[0]!.availability).toMatchObject({ downMs: 0, availability: 1 });
    expect(svc[0]!.availability.upMs).toBeGreaterThan(55 * MIN);
    expect((await get('/api/v1/availability?scope=probe&key=nope')).status).toBe(404);
  });

  it('serves the report of a period as HTML, text and CSV', async () => {
    await h.run(0, 5);
    h.clock.set(Date.parse('2025-03-10T10:00:00Z'));
    const html = await req('/api/v1/reports/week', { token: R });
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    expect(String(html.body)).toContain('<html');
    const text = await req('/api/v1/reports/2025-W10?format=text', { token: R });
    expect(text.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(String(text.body)).toMatch(/2025-W10|Mar 3/);
    const csv = await req('/api/v1/reports/2025-W10?format=csv', { token: R });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(String(csv.body).split('\n')[0]).toContain(',');
    for (const r of [html, text, csv]) expect(String(r.body)).not.toContain(SECRET);
  });

  it('rate-limits writes per caller with Retry-After, on the injected clock', async () => {
    const codes: number[] = [];
    let last: Checked | null = null;
    for (let i = 0; i < 21; i++) {
      last = await send('POST', '/api/v1/silences', { target: 'stripe', for: '1h' });
      codes.push(last.status);
    }
    expect(codes.slice(0, 20).every((c) => c === 201)).toBe(true);
    expect(codes[20]).toBe(429);
    expect(last!.headers.get('retry-after')).toBe('2');
    expect(last!.body).toMatchObject({ error: 'rate_limited' });
    // reads are not limited
    expect((await get('/api/v1/silences')).status).toBe(200);
    h.clock.advance(2_000);
    expect((await send('POST', '/api/v1/silences', { target: 'stripe', for: '1h' })).status).toBe(201);
  });
});

describe('/api/v1 on Postgres', () => {
  it('answers status and pages on the real server', async () => {
    const pg = await apiHarness({ config: vigil(), env: ENV, driver: 'postgres' });
    try {
      const preq = checkedRequest(pg, document());
      await pg.run(0, 6, stripeDown);
      const status = await preq('/api/v1/status', { token: R });
      expect(status.body).toEqual(
        JSON.parse(JSON.stringify(await readStatus(pg.db.db, pg.config, pg.clock.now()))),
      );
      const page = await preq('/api/v1/probes/stripe-balance/results?from=2025-03-03T10:00:00Z&limit=5', {
        token: R,
      });
      const b = page.body as { items: unknown[]; nextCursor: string };
      const next = await preq(
        `/api/v1/probes/stripe-balance/results?from=2025-03-03T10:00:00Z&limit=5&cursor=${b.nextCursor}`,
        { token: R },
      );
      expect([b.items.length, (next.body as { items: unknown[] }).items.length]).toEqual([5, 5]);
      const inc = await preq('/api/v1/incidents?open=true&scope=provider', { token: R });
      const id = (inc.body as { items: { id: string }[] }).items[0]!.id;
      const ack = await preq(`/api/v1/incidents/${id}/acknowledge`, {
        method: 'POST',
        token: W,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ by: 'bob' }),
      });
      expect(ack.body).toMatchObject({ acknowledgedBy: 'bob', acknowledgeNote: null });
    } finally {
      await pg.close();
    }
  });
});
