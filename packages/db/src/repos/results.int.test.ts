import type { ProbeResult } from '@vigil/core';
import { describe, expect } from 'vitest';
import { sql } from 'drizzle-orm';
import { rowsOf } from '../sql.js';
import { result } from '../testing/builders.js';
import { DRIVERS, onDriver, repoTest as it } from '../testing/drivers.js';
import { ensurePartitions } from './partitions.js';
import { insertResults, queryResults } from './results.js';

const FROM = new Date('2025-03-01T00:00:00Z');
const TO = new Date('2025-03-02T00:00:00Z');

describe.each(DRIVERS)('results repository on %s', (kind) => {
  onDriver(kind, ['probe_results']);
  it.beforeEach(async ({ t }) => {
    await ensurePartitions(t.h.db, FROM, 0);
  });

  it.for<[string, ProbeResult]>([
    ['a down result with every field set', result()],
    [
      'an up result with absent phases',
      result({
        outcome: 'up',
        httpStatus: 200,
        errorClass: null,
        message: null,
        assertions: [],
        phases: { dnsMs: null, connectMs: null, tlsMs: null, ttfbMs: null, transferMs: null, totalMs: 0.001 },
        tlsDaysLeft: null,
      }),
    ],
    [
      'a rate-limited result',
      result({ outcome: 'rate_limited', httpStatus: 429, errorClass: 'rate_limited', retryAfterS: 30 }),
    ],
    [
      'an up result announcing its deprecation and sunset',
      result({
        outcome: 'up',
        httpStatus: 200,
        errorClass: null,
        message: null,
        notices: {
          deprecated: true,
          deprecatedAt: Date.parse('2025-01-01T00:00:00Z'),
          sunsetAt: Date.parse('2025-12-31T23:59:59Z'),
          link: 'https://example.com/migrate',
        },
      }),
    ],
    [
      'a multi-step result with its steps (the second failed)',
      result({
        outcome: 'down',
        httpStatus: 401,
        errorClass: 'auth',
        message: 'step "call": credentials rejected: expected status 2xx, got 401',
        steps: [
          {
            name: 'token',
            outcome: 'up',
            httpStatus: 200,
            errorClass: null,
            phases: { dnsMs: 0.4, connectMs: 1, tlsMs: 3.5, ttfbMs: 20, transferMs: 1, totalMs: 25.9 },
          },
          {
            name: 'call',
            outcome: 'down',
            httpStatus: 401,
            errorClass: 'auth',
            phases: { dnsMs: null, connectMs: null, tlsMs: null, ttfbMs: 15, transferMs: 0.5, totalMs: 16 },
          },
        ],
      }),
    ],
    [
      'a slot not sent: deferred by Retry-After',
      result({
        outcome: 'rate_limited',
        httpStatus: null,
        errorClass: 'rate_limited',
        retryAfterS: null,
        notSent: 'deferred',
      }),
    ],
    [
      'a slot not sent: out of budget',
      result({ outcome: 'rate_limited', httpStatus: null, errorClass: 'rate_limited', notSent: 'budget' }),
    ],
    ['a result on a day without its own partition', result({ slotAt: Date.parse('2031-01-01T00:00:00Z') })],
  ])('returns %s exactly as it was stored', async ([_name, r], { t }) => {
    expect(await insertResults(t.h.db, [r])).toBe(1);
    const out = await queryResults(t.h.db, { from: new Date(r.slotAt), to: new Date(r.slotAt + 1) });
    expect(out).toStrictEqual([r]);
  });

  it('stores a result once when the same slot arrives again in a later batch', async ({ t }) => {
    const r = result();
    expect(await insertResults(t.h.db, [r])).toBe(1);
    expect(await insertResults(t.h.db, [{ ...r, workerId: 'retry', message: 'again' }])).toBe(0);
    expect(await queryResults(t.h.db, { from: FROM, to: TO })).toEqual([r]);
  });

  it('stores a result once when the same slot appears twice in one batch, keeping the first', async ({
    t,
  }) => {
    const r = result();
    expect(await insertResults(t.h.db, [r, { ...r, workerId: 'dup' }])).toBe(1);
    expect(await queryResults(t.h.db, { from: FROM, to: TO })).toEqual([r]);
  });

  it('keeps one row per region for the same probe and slot', async ({ t }) => {
    expect(await insertResults(t.h.db, [result(), result({ region: 'us-east' })])).toBe(2);
  });

  it('inserts a 10,000-row batch and counts only the new rows of a half-repeated one', async ({ t }) => {
    const base = Date.parse('2025-03-01T00:00:00Z');
    const batch = Array.from({ length: 10_000 }, (_, i) =>
      result({
        probeId: `p${i % 500}`,
        region: Math.floor(i / 500) % 2 ? 'us-east' : 'eu-west',
        slotAt: base + Math.floor(i / 1000) * 30_000,
      }),
    );
    expect(await insertResults(t.h.db, batch)).toBe(10_000);
    const next = batch.map((r) => ({ ...r, slotAt: r.slotAt + 5 * 30_000 }));
    expect(await insertResults(t.h.db, next)).toBe(5_000);
    const n = await rowsOf<{ n: number }>(t.h.db, sql`select count(*)::int as n from probe_results`);
    expect(n[0]?.n).toBe(15_000);
  });

  it('queries a half-open slot range, by probe and region, in slot order, with a limit', async ({ t }) => {
    const at = (m: number) => Date.parse('2025-03-01T10:00:00Z') + m * 60_000;
    await insertResults(t.h.db, [
      result({ probeId: 'b', slotAt: at(1) }),
      result({ probeId: 'a', slotAt: at(1) }),
      result({ probeId: 'a', slotAt: at(0) }),
      result({ probeId: 'a', slotAt: at(1), region: 'us-east' }),
      result({ probeId: 'a', slotAt: at(2) }),
    ]);
    const keys = (rs: { probeId: string; region: string; slotAt: number }[]) =>
      rs.map((r) => `${r.probeId}@${r.region}+${(r.slotAt - at(0)) / 60_000}`);
    const range = { from: new Date(at(0)), to: new Date(at(2)) };
    expect(keys(await queryResults(t.h.db, range))).toEqual([
      'a@eu-west+0',
      'a@eu-west+1',
      'a@us-east+1',
      'b@eu-west+1',
    ]);
    expect(keys(await queryResults(t.h.db, { ...range, probeId: 'a', region: 'us-east' }))).toEqual([
      'a@us-east+1',
    ]);
    expect(keys(await queryResults(t.h.db, { ...range, limit: 2 }))).toEqual(['a@eu-west+0', 'a@eu-west+1']);
  });

  it('rounds fractional whole-number fields instead of failing the batch', async ({ t }) => {
    await insertResults(t.h.db, [result({ retryAfterS: 29.6, tlsDaysLeft: 12.9 })]);
    const [r] = await queryResults(t.h.db, { from: FROM, to: TO });
    expect(r).toMatchObject({ retryAfterS: 30, tlsDaysLeft: 12 });
  });

  it('stores text Postgres would refuse with a replacement character instead of failing the batch', async ({
    t,
  }) => {
    const r = result({
      message: 'body: \u0000\uD83D',
      assertions: [{ name: 'body', ok: false, expected: 'ok', actual: 'x\u0000', message: 'cut \uD83D' }],
    });
    expect(await insertResults(t.h.db, [r, result({ region: 'us-east' })])).toBe(2);
    const [stored] = await queryResults(t.h.db, { from: FROM, to: TO, region: 'eu-west' });
    expect(stored?.message).toBe('body: \uFFFD\uFFFD');
    expect(stored?.assertions[0]).toMatchObject({ actual: 'x\uFFFD', message: 'cut \uFFFD' });
  });

  it('refuses a batch holding an invalid result with a typed error', async ({ t }) => {
    const bad = result({ phases: { ...result().phases, totalMs: Number.NaN } });
    await expect(insertResults(t.h.db, [bad])).rejects.toMatchObject({
      name: 'DbError',
      code: 'DB_QUERY_FAILED',
    });
  });

  it('writes nothing for an empty batch', async ({ t }) => {
    expect(await insertResults(t.h.db, [])).toBe(0);
  });
});
