import type { EpochMs, PingStore } from '@vigil/core';
import type { Db } from '@vigil/db';
import { config, spec } from '@vigil/evaluation/testing';
import { createLogger } from '@vigil/runtime';
import { manualClock } from '@vigil/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { createApi } from '../app.js';
import type { ApiDeps } from '../deps.js';
import { BAD_TOKEN_LIMIT_PER_MIN, PING_LIMIT_PER_MIN } from './ping.js';

const TOKEN = 'hb-token-7f3a9c';
const T0 = Date.parse('2025-03-03T10:00:00Z');

function memoryStore(): PingStore & { pings: Map<string, EpochMs> } {
  const pings = new Map<string, EpochMs>();
  return {
    pings,
    record: (id, at) => Promise.resolve(void pings.set(id, at)),
    lastPing: (id, now) => Promise.resolve({ lastPingAt: pings.get(id) ?? null, watchingSince: now }),
    close: () => Promise.resolve(),
  };
}

const heartbeat = spec({
  id: 'stripe-webhooks',
  kind: 'heartbeat',
  spec: { token: '${env:HB_TOKEN}', grace: '1m' },
  schedule: { type: 'interval', everyMs: 300_000 },
});
const unsetToken = spec({
  id: 'nightly-job',
  kind: 'heartbeat',
  spec: { token: '${env:NOPE}', grace: '1m' },
});
const http = spec({ id: 'stripe-balance' });

let store: ReturnType<typeof memoryStore>;
let clock: ReturnType<typeof manualClock>;
let deps: ApiDeps;
let app: ReturnType<typeof createApi>;
beforeEach(() => {
  store = memoryStore();
  clock = manualClock(T0);
  deps = {
    db: undefined as unknown as Db, // the ping routes never touch the store of results
    config: () => config([heartbeat, unsetToken, http]),
    clock,
    log: createLogger('api', { level: 'silent' }),
    env: { HB_TOKEN: TOKEN },
    pings: store,
  };
  app = createApi(deps);
});

const send = (path: string, init: RequestInit = {}) =>
  Promise.resolve(app.request(path, { method: 'POST', ...init }));

describe('/ping/<probe-id>', () => {
  it('records a ping with the token in the path (POST or GET) and answers 202', async () => {
    const res = await send(`/ping/stripe-webhooks/${TOKEN}`);
    expect(res.status).toBe(202);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = await res.json();
    expect(body).toEqual({ probe: 'stripe-webhooks', receivedAt: '2025-03-03T10:00:00.000Z' });
    expect(JSON.stringify(body)).not.toContain(TOKEN);
    expect(store.pings.get('stripe-webhooks')).toBe(T0);

    clock.advance(60_000);
    expect((await send(`/ping/stripe-webhooks/${TOKEN}`, { method: 'GET' })).status).toBe(202);
    expect(store.pings.get('stripe-webhooks')).toBe(T0 + 60_000);
  });

  it('takes the token from an Authorization: Bearer header', async () => {
    const res = await send('/ping/stripe-webhooks', { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(202);
    expect(store.pings.get('stripe-webhooks')).toBe(T0);
  });

  it('refuses a wrong or missing token with 401 and records nothing', async () => {
    for (const res of [
      await send('/ping/stripe-webhooks/not-the-token'),
      await send(`/ping/stripe-webhooks/${TOKEN}x`),
      await send('/ping/stripe-webhooks'),
      await send('/ping/stripe-webhooks', { headers: { authorization: 'Bearer nope' } }),
      // a probe whose token variable is unset takes no token at all, not even an empty one
      await send('/ping/nightly-job'),
      await send('/ping/nightly-job', { headers: { authorization: 'Bearer ' } }),
    ]) {
      expect(res.status).toBe(401);
      expect(await res.text()).not.toContain(TOKEN);
    }
    expect(store.pings.size).toBe(0);
  });

  it('answers 404 for an unknown probe and for a probe that is not a push probe', async () => {
    for (const path of [`/ping/nope/${TOKEN}`, `/ping/stripe-balance/${TOKEN}`]) {
      const res = await send(path);
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ error: 'not_found' });
    }
    expect(store.pings.size).toBe(0);
  });

  it('limits pings and wrong tokens per probe, apart: a stranger’s guesses do not stop the sender', async () => {
    for (let i = 0; i < BAD_TOKEN_LIMIT_PER_MIN; i++)
      expect((await send('/ping/stripe-webhooks/guess')).status).toBe(401);
    const limited = await send('/ping/stripe-webhooks/guess');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await send(`/ping/stripe-webhooks/${TOKEN}`)).status).toBe(202);

    for (let i = 1; i < PING_LIMIT_PER_MIN; i++)
      expect((await send(`/ping/stripe-webhooks/${TOKEN}`)).status).toBe(202);
    expect((await send(`/ping/stripe-webhooks/${TOKEN}`)).status).toBe(429);
    clock.advance(60_000);
    expect((await send(`/ping/stripe-webhooks/${TOKEN}`)).status).toBe(202);
    expect((await send('/ping/stripe-webhooks/guess')).status).toBe(401);
  });

  it('answers 503 without a ping store or when it fails, never with the path', async () => {
    const noStore = createApi({ ...deps, pings: undefined });
    expect((await noStore.request(`/ping/stripe-webhooks/${TOKEN}`, { method: 'POST' })).status).toBe(503);
    const failing = createApi({
      ...deps,
      pings: { ...store, record: () => Promise.reject(new Error('connection refused')) },
    });
    const res = await failing.request(`/ping/stripe-webhooks/${TOKEN}`, { method: 'POST' });
    expect(res.status).toBe(503);
    expect(await res.text()).not.toContain(TOKEN);
  });
});
