import { describe, expect } from 'vitest';
import { HOUR_MS, rollupHour, type HourlyRollup } from '@vigil/core';
import { result } from '../testing/builders.js';
import { DRIVERS, onDriver, repoTest as it } from '../testing/drivers.js';
import {
  regionOutcomeCounts,
  resultsInRanges,
  saveEvaluatorState,
  loadEvaluatorState,
} from './evaluation.js';
import { acquireLease, holdsLease, releaseLease } from './leases.js';
import { insertResults } from './results.js';
import {
  deleteExpiredRollups,
  getRollups,
  queryRollups,
  rollupLatency,
  rollupTotals,
  upsertRollups,
} from './rollups.js';
import { createSilence, endSilence, listSilences, SilenceError } from './silences.js';

const T0 = Date.parse('2025-03-01T10:00:00Z');
const MIN = 60_000;

function rollup(subject: string, hourStart: number, verdict: 'up' | 'down', latencyMs = 100): HourlyRollup {
  return rollupHour(subject, hourStart, [{ at: hourStart, durationMs: HOUR_MS, verdict, latencyMs }]);
}

describe.each(DRIVERS)('evaluator repositories on %s', (kind) => {
  onDriver(kind, [
    'probe_results',
    'rollups_hourly',
    'leases',
    'silences',
    'evaluator_state',
    'outbox',
    'incidents',
  ]);

  describe('leases', () => {
    it('lets one holder at a time hold a lease until it expires', async ({ t }) => {
      const now = new Date(T0);
      expect(await acquireLease(t.h.db, 'evaluator', 'a', now, 30_000)).toBe(true);
      expect(await acquireLease(t.h.db, 'evaluator', 'b', new Date(T0 + 29_999), 30_000)).toBe(false);
      expect(await acquireLease(t.h.db, 'evaluator', 'a', new Date(T0 + 10_000), 30_000)).toBe(true);
      expect(await acquireLease(t.h.db, 'evaluator', 'b', new Date(T0 + 39_999), 30_000)).toBe(false);
      expect(await acquireLease(t.h.db, 'evaluator', 'b', new Date(T0 + 40_000), 30_000)).toBe(true);
      expect(await holdsLease(t.h.db, 'evaluator', 'a', new Date(T0 + 40_000))).toBe(false);
      expect(await holdsLease(t.h.db, 'evaluator', 'b', new Date(T0 + 40_000))).toBe(true);
    });

    it('frees a released lease for the next holder at once', async ({ t }) => {
      expect(await acquireLease(t.h.db, 'evaluator', 'a', new Date(T0), 30_000)).toBe(true);
      await releaseLease(t.h.db, 'evaluator', 'a');
      expect(await acquireLease(t.h.db, 'evaluator', 'b', new Date(T0 + 1), 30_000)).toBe(true);
    });
  });

  describe('results of open slots', () => {
    it('returns per probe only the results inside its own range', async ({ t }) => {
      await insertResults(t.h.db, [
        result({ probeId: 'a', slotAt: T0, region: 'eu' }),
        result({ probeId: 'a', slotAt: T0 + MIN, region: 'eu', outcome: 'up', errorClass: null }),
        result({ probeId: 'a', slotAt: T0 + MIN, region: 'us' }),
        result({ probeId: 'b', slotAt: T0, region: 'eu' }),
        result({ probeId: 'c', slotAt: T0 + MIN, region: 'eu' }),
      ]);
      const rows = await resultsInRanges(t.h.db, [
        { probeId: 'a', from: T0 + MIN, to: T0 + 2 * MIN },
        { probeId: 'b', from: T0, to: T0 + 1 },
      ]);
      expect(rows.map((r) => `${r.probeId}@${r.slotAt - T0}/${r.region}:${r.outcome}`).sort()).toEqual([
        'a@60000/eu:up',
        'a@60000/us:down',
        'b@0/eu:down',
      ]);
      expect(rows.find((r) => r.probeId === 'b')).toMatchObject({
        totalMs: 217.2,
        errorClass: 'http_status',
        message: 'expected status 200, got 503',
        tlsMs: 22.123456789,
      });
    });

    it('counts distinct probes and failing probes per region', async ({ t }) => {
      await insertResults(t.h.db, [
        result({ probeId: 'a', slotAt: T0, region: 'eu' }),
        result({ probeId: 'a', slotAt: T0 + 30_000, region: 'eu', outcome: 'up', errorClass: null }),
        result({ probeId: 'b', slotAt: T0, region: 'eu', outcome: 'up', errorClass: null }),
        result({ probeId: 'a', slotAt: T0, region: 'us', outcome: 'up', errorClass: null }),
        result({ probeId: 'z', slotAt: T0 + 5 * MIN, region: 'us' }),
        // could not run as configured there: says nothing about the region
        result({ probeId: 'c', slotAt: T0, region: 'us', errorClass: 'config' }),
      ]);
      expect(await regionOutcomeCounts(t.h.db, T0, T0 + MIN)).toEqual([
        { region: 'eu', probes: 2, failed: 1 },
        { region: 'us', probes: 1, failed: 0 },
      ]);
    });
  });

  it('replaces evaluator state per subject', async ({ t }) => {
    await saveEvaluatorState(t.h.db, [{ subject: 'probe:a', state: { n: 1 } }], new Date(T0));
    await saveEvaluatorState(
      t.h.db,
      [
        { subject: 'probe:a', state: { n: 2 } },
        { subject: 'monitor', state: { x: [1] } },
      ],
      new Date(T0),
    );
    const rows = await loadEvaluatorState(t.h.db);
    expect(rows.sort((a, b) => a.subject.localeCompare(b.subject))).toEqual([
      { subject: 'monitor', state: { x: [1] } },
      { subject: 'probe:a', state: { n: 2 } },
    ]);
  });

  describe('rollups', () => {
    it('returns a rollup exactly as it was written, and a rewrite replaces it', async ({ t }) => {
      const r = rollupHour('stripe-balance', T0, [
        {
          at: T0,
          durationMs: 30 * MIN,
          verdict: 'up',
          latencyMs: 120,
          phases: { dnsMs: 1, connectMs: 2, tlsMs: 3, ttfbMs: 100 },
        },
        { at: T0 + 30 * MIN, durationMs: 30 * MIN, verdict: 'down', errorClass: 'timeout' },
      ]);
      await upsertRollups(t.h.db, [r]);
      await upsertRollups(t.h.db, [r]);
      expect(await getRollups(t.h.db, [{ subject: 'stripe-balance', hourStart: T0 }])).toEqual([r]);
      const down = rollup('stripe-balance', T0, 'down');
      await upsertRollups(t.h.db, [down]);
      expect(await queryRollups(t.h.db, { from: T0, to: T0 + HOUR_MS })).toEqual([down]);
    });

    it('sums times per subject with a partial hour counted pro rata, and merges latency', async ({ t }) => {
      await upsertRollups(t.h.db, [
        rollup('a', T0, 'up', 100),
        rollup('a', T0 + HOUR_MS, 'down'),
        rollup('a', T0 + 2 * HOUR_MS, 'up', 200),
        rollup('b', T0, 'down'),
      ]);
      const totals = await rollupTotals(t.h.db, {
        subjects: ['a'],
        from: T0 + HOUR_MS / 2,
        to: T0 + 2 * HOUR_MS,
      });
      expect([...totals.keys()]).toEqual(['a']);
      expect(totals.get('a')).toMatchObject({ upMs: HOUR_MS / 2, downMs: HOUR_MS });
      const lat = await rollupLatency(t.h.db, { from: T0, to: T0 + 3 * HOUR_MS });
      expect(Object.values(lat.get('a')!).reduce((s, n) => s + n, 0)).toBe(2);
      expect(lat.get('b')).toBeUndefined();
    });

    it('deletes rollups older than the retention', async ({ t }) => {
      const now = new Date(T0 + 731 * 86_400_000);
      await upsertRollups(t.h.db, [rollup('a', T0, 'up'), rollup('a', T0 + 3 * 86_400_000, 'up')]);
      expect(await deleteExpiredRollups(t.h.db, now, 730)).toBe(1);
      expect((await queryRollups(t.h.db, { from: 0, to: now.getTime() })).map((r) => r.hourStart)).toEqual([
        T0 + 3 * 86_400_000,
      ]);
    });
  });

  describe('silences', () => {
    it('lists a silence until it ends, and ends it early on request', async ({ t }) => {
      const s = await createSilence(
        t.h.db,
        { target: 'stripe', until: new Date(T0 + 2 * HOUR_MS), reason: 'deploy' },
        new Date(T0),
      );
      expect(s).toMatchObject({ target: 'stripe', startsAt: new Date(T0), reason: 'deploy' });
      expect((await listSilences(t.h.db, new Date(T0 + HOUR_MS))).map((x) => x.id)).toEqual([s.id]);
      expect(await listSilences(t.h.db, new Date(T0 + 2 * HOUR_MS))).toEqual([]);
      expect(await endSilence(t.h.db, s.id, new Date(T0 + MIN))).toBe(true);
      expect(await listSilences(t.h.db, new Date(T0 + MIN))).toEqual([]);
    });

    it('refuses a silence that ends before it starts', async ({ t }) => {
      await expect(
        createSilence(t.h.db, { target: 'x', until: new Date(T0) }, new Date(T0)),
      ).rejects.toBeInstanceOf(SilenceError);
    });
  });
});
