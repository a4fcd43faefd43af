import { manualClock, startSimulator, SIM_OAUTH2_CLIENT, type Simulator } from '@vigil/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProbe } from '../../run-probe.js';
import { probeSpec } from '../../testing/probes.js';
import { TokenCache } from './oauth2.js';

// one clock drives both the simulator's token expiry and the cache's: nothing sleeps on the real clock
const clock = manualClock('2025-06-01T00:00:00Z');
let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ clock });
});
afterAll(() => sim.close());

const env = { SIM_CLIENT_ID: SIM_OAUTH2_CLIENT.clientId, SIM_CLIENT_SECRET: SIM_OAUTH2_CLIENT.clientSecret };

function probe(
  id: string,
  method: 'basic' | 'body' = 'basic',
  path = '/oauth2/api/v1/me',
  secret = '${env:SIM_CLIENT_SECRET}',
) {
  return {
    ...probeSpec('http', {
      url: `${sim.httpUrl}${path}`,
      auth: {
        oauth2: {
          tokenUrl: `${sim.httpUrl}/oauth2/token`,
          clientId: '${env:SIM_CLIENT_ID}',
          clientSecret: secret,
          scope: 'read',
          method,
        },
      },
    }),
    id,
  };
}

const run = (p: ReturnType<typeof probe>, tokens: TokenCache, e: Record<string, string> = env) =>
  runProbe(p, { env: e, clock, region: 'eu', slotAt: 0, workerId: 'w1', tokens });

describe('http probes with OAuth2 client credentials', () => {
  it('fetches the token once for N probes with the same credentials and refreshes it after expiry', async () => {
    const tokens = new TokenCache();
    const before = sim.requests('/oauth2/token');
    const probes = Array.from({ length: 5 }, (_, i) => probe(`p${i}`));
    const first = await Promise.all(probes.map((p) => run(p, tokens)));
    expect(first.map((r) => r.outcome)).toEqual(Array(5).fill('up'));
    expect(sim.requests('/oauth2/token') - before).toBe(1);
    // again within the token's 60 s: no new request
    clock.advance(40_000);
    expect((await Promise.all(probes.map((p) => run(p, tokens)))).every((r) => r.outcome === 'up')).toBe(
      true,
    );
    expect(sim.requests('/oauth2/token') - before).toBe(1);
    // shortly before the 60 s expiry (the margin): a new token, once, and the API accepts it
    clock.advance(15_000);
    const later = await Promise.all(probes.map((p) => run(p, tokens)));
    expect(later.map((r) => r.outcome)).toEqual(Array(5).fill('up'));
    expect(sim.requests('/oauth2/token') - before).toBe(2);
  });

  it('sends the client credentials in the body with method: body', async () => {
    const r = await run(probe('body', 'body'), new TokenCache());
    expect(r).toMatchObject({ outcome: 'up', errorClass: null });
  });

  it('keeps a token per provider and region: another region fetches its own', async () => {
    const tokens = new TokenCache();
    const before = sim.requests('/oauth2/token');
    const p = probe('regions');
    await runProbe(p, { env, clock, region: 'eu', slotAt: 0, workerId: 'w1', tokens });
    await runProbe(p, { env, clock, region: 'us', slotAt: 0, workerId: 'w1', tokens });
    expect(sim.requests('/oauth2/token') - before).toBe(2);
  });

  it('classes a rejected secret as auth with the token endpoint status, and hides the secret', async () => {
    const r = await run(probe('bad'), new TokenCache(), { ...env, SIM_CLIENT_SECRET: 'wrong-secret-value' });
    expect(r).toMatchObject({ outcome: 'down', errorClass: 'auth', httpStatus: 401 });
    expect(r.message).toBe(
      `OAuth2 token request to ${sim.httpUrl}/oauth2/token failed: HTTP 401: invalid_client (client authentication failed)`,
    );
    expect(JSON.stringify(r)).not.toContain('wrong-secret-value');
  });

  it('never puts the token in the result, even when the API echoes it back', async () => {
    const echo = await run(
      { ...probe('echo', 'basic', '/echo'), expect: { json: { '$.headers.authorization': 'not this' } } },
      new TokenCache(),
    );
    expect(echo.errorClass).toBe('assertion_failed');
    const text = JSON.stringify(echo);
    expect(text).toContain('Bearer [REDACTED]');
    expect(text).not.toMatch(/sim-[A-Za-z0-9_-]{20,}/);
    expect(text).not.toContain(SIM_OAUTH2_CLIENT.clientSecret);
  });

  it('a token the API rejects (here: expired on the provider clock) is auth, dropped, and fetched anew', async () => {
    const tokens = new TokenCache();
    const p = probe('skewed');
    const frozen = manualClock(clock.now());
    const at = (c: typeof clock) =>
      runProbe(p, { env, clock: c, region: 'eu', slotAt: 0, workerId: 'w1', tokens });
    expect((await at(frozen)).outcome).toBe('up');
    clock.advance(61_000); // the simulator's clock passes the token's expiry; the cache's does not
    const rejected = await at(frozen);
    expect(rejected).toMatchObject({ outcome: 'down', errorClass: 'auth', httpStatus: 401 });
    const before = sim.requests('/oauth2/token');
    expect((await at(frozen)).outcome).toBe('up');
    expect(sim.requests('/oauth2/token') - before).toBe(1);
  });
});
