import { createTestRedis, type TestRedis } from '@vigil/testing';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createInProcessProviderGate,
  createRedisProviderGate,
  MAX_DEFER_MS,
  type ProviderGate,
  type SpendRequest,
} from './rate-limit.js';

const T0 = Date.parse('2025-03-03T10:00:00Z');
const S = 1000;
const MIN = 60_000;
const REGIONS = ['eu', 'us', 'ap'];

let redis: TestRedis | undefined;
const gates: ProviderGate[] = [];
afterEach(async () => {
  for (const g of gates.splice(0)) await g.close();
  await redis?.cleanup();
  redis = undefined;
});

/** Two gates over one store: two workers (Redis), or the one of the process asked twice (embedded). */
const implementations: [string, () => Promise<[ProviderGate, ProviderGate]>][] = [
  [
    'in Redis',
    async () => {
      redis = await createTestRedis('vigilrl');
      const a = createRedisProviderGate({ redisUrl: redis.url, prefix: redis.prefix });
      const b = createRedisProviderGate({ redisUrl: redis.url, prefix: redis.prefix });
      gates.push(a, b);
      return [a, b];
    },
  ],
  [
    'in this process',
    () => {
      const g = createInProcessProviderGate();
      gates.push(g);
      return Promise.resolve([g, g]);
    },
  ],
];

interface Probe {
  id: string;
  everyMs: number;
  offsetMs: number;
  regions: string[];
}

/**
 * Every slot of `probes` in [from, to), each region asking in turn through alternating gates (the region
 * order rotates per slot, as workers race), each a little after its slot. Returns the admitted requests.
 */
async function drive(
  gatesPair: [ProviderGate, ProviderGate],
  probes: Probe[],
  from: number,
  to: number,
): Promise<SpendRequest[]> {
  const asks: SpendRequest[] = [];
  for (const p of probes)
    for (let t = from + p.offsetMs; t < to; t += p.everyMs)
      p.regions.forEach((region, i) => {
        const k = Math.floor((t - from) / p.everyMs);
        const order = (i + k) % p.regions.length;
        asks.push({
          provider: 'stripe',
          probeId: p.id,
          region,
          slotAt: t,
          nextSlotAt: t + p.everyMs,
          regions: p.regions,
          now: t + 5 + order * 40,
        });
      });
  asks.sort((a, b) => a.now - b.now || a.probeId.localeCompare(b.probeId));
  const admitted: SpendRequest[] = [];
  for (const [i, a] of asks.entries()) {
    const d = await gatesPair[i % 2]!.acquire(a);
    if (d.ok) admitted.push(a);
  }
  return admitted;
}

/** The most admitted requests in any window (s - per, s] of scheduled times. */
function busiestWindow(admitted: SpendRequest[], perMs: number): number {
  return Math.max(
    0,
    ...admitted.map(
      (a) => admitted.filter((b) => b.slotAt > a.slotAt - perMs && b.slotAt <= a.slotAt).length,
    ),
  );
}

describe.each(implementations)('the provider gate %s', (_name, open) => {
  it('lets everything through for a provider without a budget', async () => {
    const [a] = await open();
    await a.setBudgets({ paypal: { requests: 1, perMs: MIN } });
    const r = {
      provider: 'stripe',
      probeId: 'p',
      region: 'eu',
      regions: ['eu'],
      now: T0,
      nextSlotAt: T0 + MIN,
    };
    for (let i = 0; i < 5; i++) expect(await a.acquire({ ...r, slotAt: T0 + i })).toEqual({ ok: true });
  });

  it('admits everything when the probes fit the budget exactly (12 a minute over 3 regions)', async () => {
    const gs = await open();
    await gs[0].setBudgets({ stripe: { requests: 12, perMs: MIN } });
    const probes = ['a', 'b'].map((id, i) => ({
      id,
      everyMs: 30 * S,
      offsetMs: i * 7 * S,
      regions: REGIONS,
    }));
    const admitted = await drive(gs, probes, T0, T0 + 10 * MIN);
    expect(admitted).toHaveLength(2 * 2 * 10 * 3);
  });

  it('keeps a budget of 10 a minute over 3 regions, a slot measured in all its regions or none', async () => {
    const gs = await open();
    await gs[0].setBudgets({ stripe: { requests: 10, perMs: MIN } });
    const probes = ['a', 'b'].map((id, i) => ({
      id,
      everyMs: 30 * S,
      offsetMs: i * 7 * S,
      regions: REGIONS,
    }));
    const admitted = await drive(gs, probes, T0, T0 + 10 * MIN);
    expect(busiestWindow(admitted, MIN)).toBeLessThanOrEqual(10);
    const perSlot = new Map<string, number>();
    for (const a of admitted)
      perSlot.set(`${a.probeId}@${a.slotAt}`, (perSlot.get(`${a.probeId}@${a.slotAt}`) ?? 0) + 1);
    expect(new Set(perSlot.values())).toEqual(new Set([3]));
    // 3 whole slots a minute fit in 10: 30 over 10 minutes (the budget is not left idle)
    expect(perSlot.size).toBeGreaterThanOrEqual(29);
  });

  it('rotates a budget that is too small between the probes instead of starving the late ones', async () => {
    const gs = await open();
    await gs[0].setBudgets({ stripe: { requests: 3, perMs: MIN } });
    const probes = ['a', 'b', 'c', 'd'].map((id, i) => ({
      id,
      everyMs: MIN,
      offsetMs: i * 10 * S,
      regions: ['eu'],
    }));
    const admitted = await drive(gs, probes, T0, T0 + 12 * MIN);
    expect(busiestWindow(admitted, MIN)).toBeLessThanOrEqual(3);
    const per = (id: string) => admitted.filter((a) => a.probeId === id).length;
    // 48 slots, 3 a minute: 36 admitted at most; without the rotation d would get none
    expect(admitted.length).toBeGreaterThanOrEqual(32);
    for (const id of ['a', 'b', 'c', 'd']) expect(per(id)).toBeGreaterThanOrEqual(7);
  });

  it('says "first" once per window of refusals, and refuses a slot in its other regions alike', async () => {
    const [a, b] = await open();
    await a.setBudgets({ stripe: { requests: 3, perMs: MIN } });
    const ask = (probeId: string, slotAt: number, region: string) =>
      (region === 'eu' ? a : b).acquire({
        provider: 'stripe',
        probeId,
        region,
        slotAt,
        nextSlotAt: slotAt + MIN,
        regions: REGIONS,
        now: slotAt,
      });
    expect(await ask('p', T0, 'eu')).toEqual({ ok: true });
    expect(await ask('p', T0, 'us')).toEqual({ ok: true });
    const refused = { ok: false, reason: 'budget', budget: { requests: 3, perMs: MIN } };
    expect(await ask('q', T0 + S, 'us')).toEqual({ ...refused, first: true });
    expect(await ask('q', T0 + S, 'eu')).toEqual({ ...refused, first: false });
    expect(await ask('p', T0 + 30 * S, 'ap')).toEqual({ ...refused, first: false });
    // a minute later the first slot's entries are out of the window: q, the starved one, goes first
    expect(await ask('q', T0 + MIN + S, 'eu')).toEqual({ ok: true });
    expect(await ask('p', T0 + MIN + 30 * S, 'eu')).toEqual({ ...refused, first: true });
  });

  it('counts each request of a multi-step run against the budget', async () => {
    const [a, b] = await open();
    await a.setBudgets({ stripe: { requests: 5, perMs: MIN } });
    // a token and an API call in two regions: 4 requests a slot, one slot a minute fits in 5
    const ask = (g: ProviderGate, region: string, slotAt: number) =>
      g.acquire({
        provider: 'stripe',
        probeId: 'paypal-flow',
        region,
        slotAt,
        nextSlotAt: slotAt + 20 * S,
        regions: ['eu', 'us'],
        requests: 2,
        now: slotAt,
      });
    expect(await ask(a, 'eu', T0)).toEqual({ ok: true });
    expect(await ask(b, 'us', T0)).toEqual({ ok: true });
    expect(await ask(b, 'us', T0 + 20 * S)).toMatchObject({ ok: false, reason: 'budget' });
    expect(await ask(a, 'eu', T0 + 20 * S)).toMatchObject({ ok: false, reason: 'budget' });
    expect(await ask(a, 'eu', T0 + MIN)).toEqual({ ok: true });
    // a single run needing more than the whole budget still runs, once a window
    const big = { provider: 'stripe', probeId: 'big', region: 'eu', regions: ['eu'], requests: 9 };
    expect(
      await a.acquire({ ...big, slotAt: T0 + 3 * MIN, nextSlotAt: T0 + 4 * MIN, now: T0 + 3 * MIN }),
    ).toEqual({ ok: true });
    expect(
      await a.acquire({ ...big, slotAt: T0 + 3 * MIN + S, nextSlotAt: T0 + 5 * MIN, now: T0 + 3 * MIN + S }),
    ).toMatchObject({ ok: false });
  });

  it('defers a provider in every region until Retry-After, the defer told once', async () => {
    const [a, b] = await open();
    const r = { provider: 'stripe', probeId: 'p', regions: REGIONS, nextSlotAt: T0 + 2 * MIN };
    expect(await a.defer('stripe', T0 + 30 * S, T0)).toBe(true);
    // a second 429 in another region extends it, and is not a new defer
    expect(await b.defer('stripe', T0 + 31 * S, T0 + 200)).toBe(false);
    expect(await b.acquire({ ...r, region: 'us', slotAt: T0 + 10 * S, now: T0 + 10 * S })).toEqual({
      ok: false,
      reason: 'deferred',
      until: T0 + 31 * S,
    });
    expect(
      await a.acquire({ ...r, probeId: 'other', region: 'eu', slotAt: T0 + 30 * S, now: T0 + 30 * S }),
    ).toMatchObject({
      reason: 'deferred',
    });
    expect(
      await a.acquire({ ...r, provider: 'paypal', region: 'eu', slotAt: T0 + 10 * S, now: T0 + 10 * S }),
    ).toEqual({ ok: true });
    expect(await a.acquire({ ...r, region: 'eu', slotAt: T0 + 31 * S, now: T0 + 31 * S })).toEqual({
      ok: true,
    });
    expect(await b.defer('stripe', T0 + 90 * S, T0 + 60 * S)).toBe(true);
  });

  it('honours a Retry-After at most MAX_DEFER_MS, and ignores one already past', async () => {
    const [a] = await open();
    expect(await a.defer('stripe', T0 - 1, T0)).toBe(false);
    expect(await a.defer('stripe', T0 + 365 * 86_400_000, T0)).toBe(true);
    const d = await a.acquire({
      provider: 'stripe',
      probeId: 'p',
      region: 'eu',
      regions: ['eu'],
      slotAt: T0,
      nextSlotAt: T0 + MIN,
      now: T0 + 1,
    });
    expect(d).toEqual({ ok: false, reason: 'deferred', until: T0 + MAX_DEFER_MS });
  });

  it('drops a budget removed from the config', async () => {
    const [a, b] = await open();
    await a.setBudgets({ stripe: { requests: 1, perMs: MIN } });
    const r = {
      provider: 'stripe',
      region: 'eu',
      regions: ['eu'],
      slotAt: T0,
      nextSlotAt: T0 + MIN,
      now: T0,
    };
    expect(await b.acquire({ ...r, probeId: 'p' })).toEqual({ ok: true });
    expect(await b.acquire({ ...r, probeId: 'q' })).toMatchObject({ ok: false, reason: 'budget' });
    await a.setBudgets({});
    expect(await b.acquire({ ...r, probeId: 'q' })).toEqual({ ok: true });
  });
});
