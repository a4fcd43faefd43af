import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fleetRoutes } from './fleet.js';
import { FLOW_PATHS, flowRoutes, SIM_FLOW_CLIENT } from './flows.js';
import { startSimulator } from './simulator.js';
import type { Simulator } from './types.js';

const start = Date.parse('2025-06-01T00:00:00Z');
let at = start;
let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({
    clock: { now: () => at },
    routes: flowRoutes({ chargeDown: [{ fromMs: 60_000, toMs: 120_000 }] }),
  });
});
afterAll(() => sim.close());

async function token(): Promise<string> {
  const { clientId, clientSecret } = SIM_FLOW_CLIENT;
  const res = await request(`${sim.httpUrl}${FLOW_PATHS.token}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
    },
    body: 'grant_type=client_credentials',
  });
  expect(res.statusCode).toBe(200);
  return String(((await res.body.json()) as { access_token: unknown }).access_token);
}

async function get(path: string, tok?: string) {
  const res = await request(`${sim.httpUrl}${path}`, {
    method: 'POST',
    headers: tok === undefined ? {} : { authorization: `Bearer ${tok}` },
  });
  return { status: res.statusCode, headers: res.headers, body: (await res.body.json()) as unknown };
}

describe('the simulated multi-step flow', () => {
  it('is part of the fleet', () => {
    for (const path of Object.values(FLOW_PATHS)) expect(fleetRoutes[path]).toBeDefined();
  });

  it('issues a token, answers the charge only to it, and serves the receipt the charge points to', async () => {
    at = start;
    const tok = await token();
    expect((await get(FLOW_PATHS.charge)).status).toBe(401);
    const charge = await get(FLOW_PATHS.charge, tok);
    expect(charge).toMatchObject({
      status: 200,
      body: { id: 'ch_flow_1', receipt: { path: FLOW_PATHS.receipt } },
    });
    const receipt = await get(FLOW_PATHS.receipt);
    expect(receipt).toMatchObject({ status: 200, headers: { 'request-id': 'req_flow_1' } });
  });

  it('fails step 2 (the charge) with HTTP 500 in its scripted window, with a valid token', async () => {
    at = start + 90_000;
    const tok = await token();
    expect(await get(FLOW_PATHS.charge, tok)).toMatchObject({
      status: 500,
      body: { error: { type: 'api_error' } },
    });
    at = start + 120_000;
    expect((await get(FLOW_PATHS.charge, tok)).status).toBe(200);
  });
});
