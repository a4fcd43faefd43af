import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIM_OAUTH2_CLIENT } from './fleet.js';
import { startSimulator } from './simulator.js';
import type { Simulator } from './types.js';

let at = Date.parse('2025-06-01T00:00:00Z');
let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ clock: { now: () => at } });
});
afterAll(() => sim.close());

const form = (o: Record<string, string>) => new URLSearchParams(o).toString();
async function token(body: string, authorization?: string) {
  const res = await request(`${sim.httpUrl}/oauth2/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(authorization && { authorization }),
    },
    body,
  });
  return { status: res.statusCode, body: (await res.body.json()) as Record<string, unknown> };
}
async function api(tok: string) {
  const res = await request(`${sim.httpUrl}/oauth2/api/v1/me`, {
    headers: { authorization: `Bearer ${tok}` },
  });
  await res.body.dump();
  return res.statusCode;
}

describe('simulated credentials and deprecation scenarios', () => {
  it('issues a 60 s token to the right client (basic or body) and the API accepts it until it expires', async () => {
    const { clientId, clientSecret } = SIM_OAUTH2_CLIENT;
    const basic = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
    const a = await token(form({ grant_type: 'client_credentials' }), basic);
    expect(a).toMatchObject({ status: 200, body: { token_type: 'Bearer', expires_in: 60 } });
    const b = await token(
      form({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }),
    );
    expect(b.status).toBe(200);
    expect(sim.tokensIssued()).toBe(2);
    const tok = String(a.body.access_token);
    expect(await api(tok)).toBe(200);
    expect(await api('sim-forged')).toBe(401);
    at += 60_000;
    expect(await api(tok)).toBe(401);
  });

  it('rejects a wrong secret with 401 invalid_client and another grant with 400', async () => {
    const wrong = await token(
      form({ grant_type: 'client_credentials', client_id: SIM_OAUTH2_CLIENT.clientId, client_secret: 'no' }),
    );
    expect(wrong).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    expect((await token(form({ grant_type: 'password' }))).status).toBe(400);
  });

  it('answers 401 and 403 on the rejected-credential routes and sends Sunset / Deprecation', async () => {
    for (const [path, status] of [
      ['/auth/rejected', 401],
      ['/auth/forbidden', 403],
    ] as const) {
      const res = await request(`${sim.httpUrl}${path}`);
      await res.body.dump();
      expect(res.statusCode).toBe(status);
    }
    const res = await request(`${sim.httpUrl}/deprecated/v1/items`);
    await res.body.dump();
    expect(res.headers).toMatchObject({
      deprecation: '@1735689600',
      sunset: 'Wed, 31 Dec 2025 23:59:59 GMT',
    });
  });
});
