import {
  FLOW_PATHS,
  flowRoutes,
  manualClock,
  SIM_FLOW_CLIENT,
  startSimulator,
  type Simulator,
} from '@vigil/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProbe } from '../../run-probe.js';
import { probeSpec } from '../../testing/probes.js';
import { TokenCache } from './oauth2.js';

// one clock drives the simulator's scripted failure of step 2 and its token expiry: nothing sleeps
const clock = manualClock('2025-06-01T00:00:00Z');
const started = clock.now();
let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({
    clock,
    routes: {
      ...flowRoutes({ chargeDown: [{ fromMs: 60_000, toMs: 120_000 }] }),
      '/echo': { behavior: { mode: 'echo' } },
      '/hang': { behavior: { mode: 'hang' } },
      '/limited': { behavior: { mode: 'rate_limited', retryAfterS: 30 } },
    },
  });
});
afterAll(() => sim.close());

const env = { FLOW_CLIENT_ID: SIM_FLOW_CLIENT.clientId, FLOW_CLIENT_SECRET: SIM_FLOW_CLIENT.clientSecret };
/** what an access token of the simulator looks like */
const SIM_TOKEN = /sim-[A-Za-z0-9_-]{20,}/;

const tokenStep = (extract: Record<string, unknown> = { accessToken: '$.access_token' }) => ({
  name: 'token',
  url: `${sim.httpUrl}${FLOW_PATHS.token}`,
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: 'grant_type=client_credentials',
  auth: { basic: { username: '${env:FLOW_CLIENT_ID}', password: '${env:FLOW_CLIENT_SECRET}' } },
  expect: { status: 200, json: { '$.token_type': 'Bearer' } },
  extract,
});

const chargeStep = () => ({
  name: 'charge',
  url: `${sim.httpUrl}${FLOW_PATHS.charge}`,
  method: 'POST',
  headers: { authorization: 'Bearer ${steps.token.accessToken}' },
  json: { amount: 2000, currency: 'usd' },
  expect: { status: 200, json: { '$.status': 'succeeded' } },
  extract: { chargeId: { json: '$.id', secret: false }, receipt: { json: '$.receipt.path', secret: false } },
});

const receiptStep = () => ({
  name: 'receipt',
  url: `${sim.httpUrl}\${steps.charge.receipt}`,
  expect: { json: { '$.charge': 'ch_flow_1', '$.paid': true } },
  extract: { requestId: { header: 'Request-Id' } },
});

function flow(steps: unknown[], timeoutMs = 3_000) {
  return { ...probeSpec('http', { steps }, {}, timeoutMs), id: 'flow' };
}

const run = (p: ReturnType<typeof flow>) =>
  runProbe(p, { env, clock, region: 'eu', slotAt: 0, workerId: 'w1', tokens: new TokenCache() });

describe('multi-step http probes against the simulated flow', () => {
  it('walks token → charge → receipt with the values each step extracted, and reports every step', async () => {
    clock.set(started);
    const echo = {
      name: 'echo',
      url: `${sim.httpUrl}/echo?charge=\${steps.charge.chargeId}`,
      headers: { 'x-request-id': '${steps.receipt.requestId}' },
      expect: { json: { '$.query.charge': 'ch_flow_1', '$.headers.x-request-id': 'req_flow_1' } },
    };
    const r = await run(flow([tokenStep(), chargeStep(), receiptStep(), echo]));
    expect(r).toMatchObject({ outcome: 'up', errorClass: null, message: null, httpStatus: 200 });
    expect(r.steps?.map((s) => [s.name, s.outcome, s.httpStatus])).toEqual([
      ['token', 'up', 200],
      ['charge', 'up', 200],
      ['receipt', 'up', 200],
      ['echo', 'up', 200],
    ]);
    for (const s of r.steps ?? []) {
      expect(s.phases.connectMs).not.toBeNull();
      expect(s.phases.ttfbMs).not.toBeNull();
    }
    // the probe's phases add up the steps'; its total spans them all
    const sum = (k: 'connectMs' | 'ttfbMs') => r.steps!.reduce((n, s) => n + (s.phases[k] ?? 0), 0);
    expect(r.phases.connectMs).toBeCloseTo(sum('connectMs'), 2);
    expect(r.phases.ttfbMs).toBeCloseTo(sum('ttfbMs'), 2);
    expect(r.phases.totalMs).toBeGreaterThanOrEqual(
      r.steps!.reduce((n, s) => n + s.phases.totalMs, 0) - 0.01,
    );
    // each step's phases are kept in the stored assertions too
    expect(r.assertions.find((a) => a.name === 'step "charge"')?.actual).toMatch(
      /^HTTP 200 in [\d.]+ms \(dns .*, connect [\d.]+ms, tls -, first byte [\d.]+ms, transfer .*\)$/,
    );
    expect(JSON.stringify(r)).not.toMatch(SIM_TOKEN);
  });

  it('fails at step 2 when the API fails: the step is named, the token never shows', async () => {
    clock.set(started + 90_000); // in the simulator's scripted failure of the charge
    const r = await run(flow([tokenStep(), chargeStep(), receiptStep()]));
    expect(r).toMatchObject({ outcome: 'down', errorClass: 'http_status', httpStatus: 500 });
    expect(r.message).toBe(
      'step "charge": expected status 200, got 500: {"error":{"type":"api_error","message":"the charge could not be created"}}',
    );
    expect(r.steps?.map((s) => [s.name, s.outcome, s.errorClass])).toEqual([
      ['token', 'up', null],
      ['charge', 'down', 'http_status'],
    ]);
    expect(r.assertions.filter((a) => !a.ok).map((a) => a.name)).toEqual([
      'step "charge"',
      'step "charge": status',
      'step "charge": json $.status',
    ]);
    const text = JSON.stringify(r);
    expect(text).not.toMatch(SIM_TOKEN);
    expect(text).not.toContain(SIM_FLOW_CLIENT.clientSecret);
    clock.set(started);
  });

  it('a token step whose response lacks the variable fails there, naming the step and variable', async () => {
    clock.set(started);
    const charges = sim.requests(FLOW_PATHS.charge);
    const r = await run(flow([tokenStep({ accessToken: '$.token' }), chargeStep()]));
    expect(r).toMatchObject({ outcome: 'down', errorClass: 'assertion_failed', httpStatus: 200 });
    expect(r.message).toBe('step "token": extract accessToken: $.token is not in the response body');
    expect(r.steps?.map((s) => s.name)).toEqual(['token']);
    expect(sim.requests(FLOW_PATHS.charge)).toBe(charges);
  });

  it('hides a token extracted from a secret-bearing response even where a later server echoes it', async () => {
    clock.set(started);
    const echo = {
      name: 'echo',
      url: `${sim.httpUrl}/echo`,
      method: 'POST',
      json: { token: '${steps.token.accessToken}' },
      expect: { json: { '$.body.token': 'something else' } },
    };
    const r = await run(flow([tokenStep(), echo]));
    expect(r).toMatchObject({ outcome: 'down', errorClass: 'assertion_failed' });
    expect(r.message).toBe('step "echo": expected json $.body.token "something else", got "[REDACTED]"');
    expect(JSON.stringify(r)).not.toMatch(SIM_TOKEN);
  });

  it('a 429 at a later step makes the run rate_limited with its Retry-After, the step named', async () => {
    clock.set(started);
    const r = await run(flow([tokenStep(), { name: 'limited', url: `${sim.httpUrl}/limited` }]));
    expect(r).toMatchObject({
      outcome: 'rate_limited',
      errorClass: 'rate_limited',
      httpStatus: 429,
      retryAfterS: 30,
    });
    expect(r.message).toBe('step "limited": rate limited (HTTP 429, retry after 30s)');
  });

  it('a step may use auth.oauth2 (the cached token) like a single-request probe', async () => {
    clock.set(started);
    const charge = {
      ...chargeStep(),
      headers: {},
      auth: {
        oauth2: {
          tokenUrl: `${sim.httpUrl}${FLOW_PATHS.token}`,
          clientId: '${env:FLOW_CLIENT_ID}',
          clientSecret: '${env:FLOW_CLIENT_SECRET}',
        },
      },
    };
    const tokens = new TokenCache();
    const before = sim.requests(FLOW_PATHS.token);
    const p = flow([charge, receiptStep()]);
    for (let i = 0; i < 2; i++) {
      const r = await runProbe(p, { env, clock, region: 'eu', slotAt: 0, workerId: 'w1', tokens });
      expect(r).toMatchObject({ outcome: 'up', errorClass: null });
      expect(r.steps?.map((s) => s.name)).toEqual(['charge', 'receipt']);
      expect(JSON.stringify(r)).not.toMatch(SIM_TOKEN);
    }
    expect(sim.requests(FLOW_PATHS.token) - before).toBe(1);
  });

  it('one deadline covers all steps: a step that hangs ends at the probe timeout, named', async () => {
    clock.set(started);
    const hang = { name: 'hang', url: `${sim.httpUrl}/hang` };
    const r = await run(flow([tokenStep(), hang], 400));
    expect(r).toMatchObject({ outcome: 'down', errorClass: 'timeout', httpStatus: null });
    expect(r.message).toBe(
      'step "hang": no complete response within 400ms, the timeout all steps share (while waiting for the response headers)',
    );
    expect(r.steps?.map((s) => [s.name, s.outcome])).toEqual([
      ['token', 'up'],
      ['hang', 'down'],
    ]);
    // the deadline never fires early (how much each step gets is checked exactly in steps.test.ts)
    expect(r.phases.totalMs).toBeGreaterThanOrEqual(399);
  });
});
