import type { ProbeResult, ProbeSpec } from '@vigil/core';
import { createInProcessProviderGate, type ProbeJob, type ProviderGate } from '@vigil/queue';
import { describe, expect, it } from 'vitest';
import { createProbeHandler } from './handler.js';

const T0 = Date.parse('2025-03-03T10:00:00Z');
const S = 1000;
const spec = (id: string, kind = 'http'): ProbeSpec =>
  ({
    id,
    kind,
    provider: 'stripe',
    regions: ['eu', 'us'],
    schedule: { type: 'interval', everyMs: 30 * S },
  }) as ProbeSpec;

function setup(
  o: { gate?: ProviderGate; status?: (job: number) => 'up' | 429; specs?: Record<string, ProbeSpec> } = {},
) {
  const gate = o.gate ?? createInProcessProviderGate();
  const appended: ProbeResult[] = [];
  const sent: string[] = [];
  const events: string[] = [];
  let now = T0;
  const handler = createProbeHandler({
    getSpec: async (id) => o.specs?.[id] ?? spec(id),
    run: async (s, ctx) => {
      sent.push(`${s.id}@${ctx.region}@${ctx.slotAt - T0}`);
      const limited = o.status?.(sent.length) === 429;
      return {
        probeId: s.id,
        region: ctx.region,
        slotAt: ctx.slotAt,
        workerId: ctx.workerId,
        outcome: limited ? 'rate_limited' : 'up',
        httpStatus: limited ? 429 : 200,
        errorClass: limited ? 'rate_limited' : null,
        retryAfterS: limited ? 30 : null,
      } as ProbeResult;
    },
    sink: { append: async (r) => void appended.push(r) },
    env: {},
    clock: { now: () => now },
    workerId: 'w',
    gate,
    onDeferred: (e) =>
      events.push(`deferred ${e.provider} until +${(e.until - T0) / S}s by ${e.probeId}@${e.region}`),
    onBudgetSpent: (e) => events.push(`budget ${e.provider} ${e.requests}/${e.perMs}`),
    onGateError: (err) => events.push(`gate error ${err.message}`),
  });
  const run = (probeId: string, region: string, slotMs: number) => {
    now = T0 + slotMs + 10;
    const job: ProbeJob = { probeId, region, slotAt: T0 + slotMs, specHash: 'h' };
    return handler(job, new AbortController().signal);
  };
  return { run, appended, sent, events, gate };
}

describe('the probe handler with a provider gate', () => {
  it('records a slot that finds the budget spent as rate_limited, once, without sending its request', async () => {
    const h = setup();
    await h.gate.setBudgets({ stripe: { requests: 2, perMs: 60 * S } });
    await h.run('a', 'eu', 0);
    await h.run('a', 'us', 0);
    await h.run('b', 'eu', 5 * S);
    await h.run('b', 'us', 5 * S);
    expect(h.sent).toEqual(['a@eu@0', 'a@us@0']);
    expect(h.appended.map((r) => `${r.probeId}@${r.region} ${r.outcome} ${r.httpStatus}`)).toEqual([
      'a@eu up 200',
      'a@us up 200',
      'b@eu rate_limited null',
      'b@us rate_limited null',
    ]);
    expect(h.appended[2]).toMatchObject({
      errorClass: 'rate_limited',
      retryAfterS: null,
      message: 'not sent: the stripe budget of 2 requests per 1m is spent',
      notSent: 'budget',
      slotAt: T0 + 5 * S,
    });
    expect(h.events).toEqual(['budget stripe 2/60000']);
  });

  it("defers the provider's next slots in every region after a 429 with Retry-After, told once", async () => {
    // the first two requests get a 429 with Retry-After: 30
    const h = setup({ status: (n) => (n <= 2 ? 429 : 'up') });
    // two requests in flight at once: the second 429 extends the defer, it is not a new one
    await Promise.all([h.run('a', 'eu', 0), h.run('b', 'us', 0)]);
    await h.run('a', 'us', 10 * S);
    await h.run('b', 'eu', 20 * S);
    await h.run('a', 'eu', 31 * S);
    expect(h.sent).toEqual(['a@eu@0', 'b@us@0', 'a@eu@31000']);
    expect(h.events).toEqual(['deferred stripe until +30.01s by a@eu']);
    expect(
      h.appended.map((r) => `${r.probeId}@${r.region}@${(r.slotAt - T0) / S} ${r.outcome} ${r.httpStatus}`),
    ).toEqual([
      'a@eu@0 rate_limited 429',
      'b@us@0 rate_limited 429',
      'a@us@10 rate_limited null',
      'b@eu@20 rate_limited null',
      'a@eu@31 up 200',
    ]);
    expect(h.appended[2]!.message).toBe(
      'not sent: stripe asked to retry after 2025-03-03T10:00:30.010Z (Retry-After); slot deferred',
    );
    // the reason is stored as such; a 429 that was sent has none
    expect(h.appended.map((r) => r.notSent ?? null)).toEqual([null, null, 'deferred', 'deferred', null]);
  });

  it('sends push probes regardless, and sends anyway when the gate cannot be asked', async () => {
    const broken: ProviderGate = {
      setBudgets: async () => undefined,
      acquire: async () => {
        throw new Error('redis down');
      },
      defer: async () => false,
      close: async () => undefined,
    };
    const h = setup({ gate: broken, specs: { hb: spec('hb', 'heartbeat') } });
    await h.run('hb', 'eu', 0);
    await h.run('a', 'eu', 0);
    expect(h.sent).toEqual(['hb@eu@0', 'a@eu@0']);
    expect(h.events).toEqual(['gate error redis down']);
  });
});
