import { apiSchema } from '@vigil/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiHarness, config, spec, type ApiHarness } from '../testing/harness.js';

const HOSTILE = '<script>alert(1)</script>';

/**
 * A minimal XML well-formedness check: every tag closed in order, attributes quoted, only the five
 * predefined or numeric entities, no raw `<` or `&` in text.
 */
function assertWellFormedXml(xml: string): void {
  const stack: string[] = [];
  const token = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|([^<]+)|(<)/g;
  let m: RegExpExecArray | null;
  let root = 0;
  while ((m = token.exec(xml))) {
    if (m[6]) throw new Error(`stray < at ${m.index}: ${xml.slice(m.index, m.index + 40)}`);
    const text = m[5] ?? m[3] ?? '';
    for (const e of text.match(/&[^;\s]*;?/g) ?? [])
      if (!/^&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);$/i.test(e)) throw new Error(`bad entity ${e}`);
    if (m[5]) {
      if (stack.length === 0 && m[5].trim() !== '') throw new Error('text outside the root');
      continue;
    }
    if (m[1]) {
      if (stack.pop() !== m[2]) throw new Error(`</${m[2]}> closes nothing open at ${m.index}`);
    } else if (!m[4]) {
      if (stack.length === 0) root++;
      stack.push(m[2]!);
    } else if (stack.length === 0) root++;
  }
  if (stack.length > 0) throw new Error(`unclosed ${stack.join(' > ')}`);
  expect(root).toBe(1);
}

let h: ApiHarness;
beforeAll(async () => {
  h = await apiHarness({
    config: config(
      [
        spec({ id: 'stripe-balance', name: HOSTILE, provider: 'stripe', service: 'payments' }),
        spec({ id: 'adyen-pay', provider: 'adyen', service: 'payments' }),
        spec({ id: 'smtp', provider: 'mailgun', service: 'email' }),
      ],
      {
        services: {
          payments: { name: `Payments ${HOSTILE}`, providers: ['stripe', 'adyen'], mode: 'any' },
        },
        api: apiSchema().parse({
          tokens: [{ name: 'ci', token: '${env:VIGIL_READ}' }],
          statusPage: { services: ['payments'], providers: true },
        }),
      } as never,
    ),
    env: { VIGIL_READ: 'read-secret-1' },
  });
  // stripe fails from minute 2: payments stays up (any), stripe goes down
  await h.run(0, 8, (id, _r, m) => (id === 'stripe-balance' && m >= 2 ? 'down' : 'up'));
}, 120_000);
afterAll(() => h.close());

describe('badges', () => {
  it('draws a public service state as well-formed SVG with the name escaped', async () => {
    const res = await h.request('/badges/service/payments/state.svg');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    expect(res.headers.get('cache-control')).toBe('public, max-age=60');
    expect(res.headers.get('etag')).toMatch(/^"/);
    const svg = await res.text();
    assertWellFormedXml(svg);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="\d+" height="20" role="img"/);
    expect(svg).toContain('<title>Payments &lt;script&gt;alert(1)&lt;/script&gt;: up</title>');
    expect(svg).toContain('fill="#4c1"');
    expect(svg).not.toContain('<script');
    const again = await h.request('/badges/service/payments/state.svg', {
      headers: { 'if-none-match': res.headers.get('etag')! },
    });
    expect(again.status).toBe(304);
  });

  it('answers the shields.io endpoint JSON at the same path, for every metric', async () => {
    const got: Record<string, unknown> = {};
    for (const metric of [
      'state',
      'availability-24h',
      'availability-7d',
      'availability-30d',
      'availability-quarter',
      'response-time',
    ]) {
      const res = await h.request(`/badges/provider/stripe/${metric}.json`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      const body = (await res.json()) as Record<string, unknown>;
      expect(Object.keys(body).sort()).toEqual(['color', 'label', 'message', 'schemaVersion']);
      expect(body.schemaVersion).toBe(1);
      got[metric] = body;
      const svg = await (await h.request(`/badges/provider/stripe/${metric}.svg`)).text();
      assertWellFormedXml(svg);
    }
    expect(got.state).toEqual({ schemaVersion: 1, label: 'stripe', message: 'down', color: 'red' });
    expect(got['availability-24h']).toMatchObject({ label: 'stripe 24h', message: '25.00%', color: 'red' });
    expect(got['availability-7d']).toMatchObject({ label: 'stripe 7d', message: '25.00%' });
    expect(got['response-time']).toEqual({
      schemaVersion: 1,
      label: 'stripe p95',
      message: 'n/a',
      color: 'lightgrey',
    });
    const payments = await (await h.request('/badges/service/payments/availability-30d.json')).json();
    expect(payments).toEqual({
      schemaVersion: 1,
      label: `Payments ${HOSTILE} 30d`,
      message: '100%',
      color: 'brightgreen',
    });
  });

  it('needs a read token for subjects the status page does not show, and 404s unknown ones', async () => {
    for (const path of [
      '/badges/service/email/state.svg',
      '/badges/provider/mailgun/state.json',
      '/badges/probe/smtp/response-time.svg',
      '/badges/service/nope/state.svg',
    ]) {
      const res = await h.request(path);
      expect(res.status, path).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
    const probe = await h.request('/badges/probe/adyen-pay/response-time.json', { token: 'read-secret-1' });
    expect(probe.status).toBe(200);
    expect(probe.headers.get('cache-control')).toBe('private, max-age=60');
    expect(await probe.json()).toMatchObject({
      label: 'Stripe balance p95',
      message: expect.stringMatching(/^1[12]\d ms$/),
      color: 'brightgreen',
    });
    expect((await h.request('/badges/service/email/state.svg?token=read-secret-1')).status).toBe(200);
    expect((await h.request('/badges/service/email/state.svg', { token: 'wrong' })).status).toBe(401);
    expect((await h.request('/badges/service/nope/state.svg', { token: 'read-secret-1' })).status).toBe(404);
    expect((await h.request('/badges/service/payments/uptime.svg')).status).toBe(404);
    expect((await h.request('/badges/region/eu/state.svg')).status).toBe(404);
    expect((await h.request('/badges/service/payments/state.png')).status).toBe(404);
  });
});
