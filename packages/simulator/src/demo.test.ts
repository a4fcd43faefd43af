import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { demoScenario } from './demo.js';
import { behaviorAt } from './script.js';
import { startSimulator } from './simulator.js';

const S = 1000;
const routes = demoScenario();
const at = (path: string, ms: number) => {
  const script = routes[path];
  if (!script) throw new Error(`no route ${path}`);
  return behaviorAt(script, ms);
};

describe('demo scenario', () => {
  it.each([
    ['/stripe/v1/balance', 0, 'ok'],
    ['/stripe/v1/balance', 60 * S, 'status'],
    ['/stripe/v1/balance', 149 * S, 'status'],
    ['/stripe/v1/balance', 150 * S, 'ok'],
    ['/stripe/v1/charges', 420 * S, 'status'],
    ['/google/.well-known/openid-configuration', 210 * S, 'rate_limited'],
    ['/google/.well-known/openid-configuration', 240 * S, 'ok'],
    ['/facebook/v19.0/me', 60 * S, 'ok'],
    // step 2 of the PayPal-shaped flow: its API call fails for 60 s every 7 min, from 4 min in
    ['/flow/paypal/v1/notifications/webhooks-event-types', 0, 'oauth2_protected'],
    ['/flow/paypal/v1/notifications/webhooks-event-types', 245 * S, 'status'],
    ['/flow/paypal/v1/notifications/webhooks-event-types', 300 * S, 'oauth2_protected'],
    ['/flow/paypal/v1/notifications/webhooks-event-types', (245 + 420) * S, 'status'],
    ['/flow/paypal/v1/oauth2/token', 245 * S, 'oauth2_token'],
  ])('%s at %i ms is %s', (path, ms, mode) => {
    expect(at(path, ms).mode).toBe(mode);
  });

  it('slows paypal down at times', () => {
    expect(at('/paypal/v1/oauth2/token', 0)).toMatchObject({ latencyMs: { p50: 180 } });
    expect(at('/paypal/v1/oauth2/token', 160 * S)).toMatchObject({ latencyMs: { p50: 1_400 } });
  });

  it('flaps elasticsearch between green and red every 80 s', () => {
    const states = [0, 35, 65, 115, 145].map(
      (s) => (at('/elasticsearch/_cluster/health', s * S) as { body: { status: string } }).body.status,
    );
    expect(states).toEqual(['green', 'red', 'green', 'red', 'green']);
  });

  it('shows every kind of trouble within the first six minutes', () => {
    const seen = new Set<string>();
    for (let ms = 0; ms < 360 * S; ms += 10 * S)
      for (const path of Object.keys(routes))
        if (!path.startsWith('/hostile')) seen.add(`${path} ${at(path, ms).mode}`);
    expect(seen).toContain('/stripe/v1/balance status');
    expect(seen).toContain('/google/.well-known/openid-configuration rate_limited');
    expect(seen).toContain('/flow/paypal/v1/notifications/webhooks-event-types status');
  });

  it('serves stripe as 503 when the simulator clock is inside the outage', async () => {
    let now = 0;
    const sim = await startSimulator({ clock: { now: () => now }, routes });
    now += 70 * S;
    const res = await request(`${sim.httpUrl}/stripe/v1/balance`);
    expect([res.statusCode, await res.body.json()]).toEqual([
      503,
      { error: { type: 'api_error', message: 'Service unavailable' } },
    ]);
    await sim.close();
  });
});
