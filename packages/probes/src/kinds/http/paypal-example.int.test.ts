import { readFileSync } from 'node:fs';
import {
  FLOW_PAYPAL_PATHS,
  flowRoutes,
  manualClock,
  SIM_FLOW_CLIENT,
  startSimulator,
  type Simulator,
} from '@vigil/testing';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProbe } from '../../run-probe.js';
import { probeSpec } from '../../testing/probes.js';
import { httpSpecSchema } from './spec.js';

// the shipped example as written, pointed at the simulator's PayPal-shaped flow
const FILE = new URL('../../../../../probes/payments.yaml', import.meta.url);
const shipped = (
  parse(readFileSync(FILE, 'utf8')) as { probes: { id: string; http: unknown }[] }
).probes.find((p) => p.id === 'paypal-token');

const clock = manualClock('2025-06-01T00:00:00Z');
const started = clock.now();
let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({
    clock,
    routes: flowRoutes({ chargeDown: [{ fromMs: 60_000, toMs: 120_000 }] }),
  });
});
afterAll(() => sim.close());

const env = {
  PAYPAL_CLIENT_ID: SIM_FLOW_CLIENT.clientId,
  PAYPAL_CLIENT_SECRET: SIM_FLOW_CLIENT.clientSecret,
};

function example() {
  const text = JSON.stringify(shipped?.http).replaceAll(
    'https://api-m.paypal.com',
    `${sim.httpUrl}/flow/paypal`,
  );
  const spec = httpSpecSchema.parse(JSON.parse(text));
  return { ...probeSpec('http', spec, {}, 5_000), id: 'paypal-token', provider: 'paypal' };
}

const run = () => runProbe(example(), { env, clock, region: 'eu', slotAt: 0, workerId: 'w1' });

describe('the shipped PayPal example (probes/payments.yaml)', () => {
  it('is a two-step flow: a token, then an API call with it', () => {
    expect(example().spec).toMatchObject({
      steps: [
        { name: 'token', method: 'POST', extract: { accessToken: '$.access_token' } },
        { name: 'api', auth: { bearer: '${steps.token.accessToken}' } },
      ],
    });
  });

  it('runs the real flow: the API answers only to the token step 1 got, which never shows', async () => {
    clock.set(started);
    const before = { token: sim.requests(FLOW_PAYPAL_PATHS.token), api: sim.requests(FLOW_PAYPAL_PATHS.api) };
    const r = await run();
    expect(r).toMatchObject({ outcome: 'up', errorClass: null, httpStatus: 200 });
    expect(r.steps?.map((s) => [s.name, s.outcome])).toEqual([
      ['token', 'up'],
      ['api', 'up'],
    ]);
    expect(sim.requests(FLOW_PAYPAL_PATHS.token) - before.token).toBe(1);
    expect(sim.requests(FLOW_PAYPAL_PATHS.api) - before.api).toBe(1);
    expect(JSON.stringify(r)).not.toMatch(/sim-[A-Za-z0-9_-]{20,}/);
  });

  it('names step 2 when the API fails', async () => {
    clock.set(started + 90_000);
    const r = await run();
    expect(r).toMatchObject({ outcome: 'down', errorClass: 'http_status', httpStatus: 500 });
    expect(r.message).toMatch(/^step "api": expected status 200, got 500: /);
    expect(JSON.stringify(r)).not.toContain(SIM_FLOW_CLIENT.clientSecret);
    clock.set(started);
  });

  it('a rejected client secret fails step 1 as auth', async () => {
    const r = await runProbe(example(), {
      env: { ...env, PAYPAL_CLIENT_SECRET: 'wrong-secret-value' },
      clock,
      region: 'eu',
      slotAt: 0,
      workerId: 'w1',
    });
    expect(r).toMatchObject({ outcome: 'down', errorClass: 'auth', httpStatus: 401 });
    expect(r.message).toMatch(/^step "token": credentials rejected: expected status 200, got 401/);
    expect(JSON.stringify(r)).not.toContain('wrong-secret-value');
  });
});
