import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { apiSchema, type VigilConfig } from '@vigil/config';
import { slotOffsetMs } from '@vigil/core';
import {
  insertResults,
  listIncidents,
  listOutbox,
  queryRollups,
  createSilence,
  type DbHandle,
} from '@vigil/db';
import { manualClock, type ManualClock } from '@vigil/testing';
import { readIncidents, readStatus } from '@vigil/evaluation';
import type { AlertEvent } from '@vigil/notify';
import { createEvaluator, type Evaluator } from './evaluator.js';
import { recomputeRollups } from './recompute.js';
import { config, result, spec } from './testing/builders.js';
import { DRIVERS, testDb } from './testing/db.js';

const MIN = 60_000;
const p = spec();
const OFF = slotOffsetMs(p.id, MIN);
const T0 = Date.parse('2025-03-03T10:00:00Z') + OFF;

describe.each(DRIVERS)('evaluator on %s', (kind) => {
  let db: { h: DbHandle; url: string | null; cleanup(): Promise<void> };
  let clock: ManualClock;
  let ev: Evaluator;
  let cfg: VigilConfig;
  beforeEach(async () => {
    db = await testDb(kind);
    clock = manualClock(T0 - 1);
    cfg = config([p]);
    ev = createEvaluator({ db: db.h.db, config: () => cfg, clock, holder: 'a', graceMs: 10_000 });
    await ev.tick();
  });
  afterEach(() => db.cleanup());

  /** Stores minute `i`'s results and ticks just after they arrived. */
  async function minute(i: number, outcome: 'up' | 'down', regions = ['eu', 'us']) {
    const at = T0 + i * MIN;
    await insertResults(
      db.h.db,
      regions.map((r) => result(p.id, r, at, outcome)),
    );
    clock.set(at + 2_000);
    return ev.tick();
  }

  it.runIf(kind === 'postgres')('judges a slot as soon as every region reported', async () => {
    const s = await minute(0, 'up');
    expect(s).toMatchObject({ leader: true, slots: 1, events: 0 });
    const [r] = await queryRollups(db.h.db, { subjects: [p.id], from: T0, to: T0 + MIN });
    expect(r?.counts.up).toBe(1);
  });

  it('opens one service incident after 3 failed slots, notifies it once, and resolves it after 2 good ones', async () => {
    for (let i = 0; i < 2; i++) await minute(i, 'up');
    for (let i = 2; i < 5; i++) await minute(i, 'down');
    // the PGlite run is the embedded mode's smoke test: the same outage, end to end in one process
    const open = await listIncidents(db.h.db, { open: true });
    expect(open.map((r) => `${r.scope}:${r.key}:${r.silent ? 'silent' : 'notified'}`).sort()).toEqual([
      'probe:stripe-balance:silent',
      'provider:stripe:silent',
      'service:payments:notified',
    ]);
    let outbox = await listOutbox(db.h.db);
    expect(outbox).toHaveLength(2);
    expect(outbox.map((o) => o.channel).sort()).toEqual(['log', 'outbox']);
    const alert = outbox[0]!.payload as AlertEvent;
    expect(alert).toMatchObject({
      event: 'opened',
      scope: 'service',
      severity: 'page',
      service: 'payments',
      provider: 'stripe',
      failingRegions: ['eu', 'us'],
      lastError: 'expected status 200, got 503',
      // the first bad slot, detected when the third closed (its tick ran 2 s after its start)
      since: T0 + 2 * MIN,
      detectedAt: T0 + 4 * MIN + 2_000,
      // 5 min of data in 24 h is below the reports' 90% coverage rule: n/a, not 40%
      availability24h: null,
      budgetLeft: null,
      dataMs24h: 5 * MIN,
    });
    for (let i = 5; i < 7; i++) await minute(i, 'up');
    expect(await listIncidents(db.h.db, { open: true })).toEqual([]);
    outbox = await listOutbox(db.h.db);
    expect(outbox.map((o) => (o.payload as AlertEvent).event)).toEqual([
      'opened',
      'opened',
      'resolved',
      'resolved',
    ]);
    // from the first bad slot (minute 2) to the resolving slot (minute 6)
    expect((outbox[2]!.payload as AlertEvent).durationMs).toBe(4 * MIN);
  });

  it('links its alerts to the incident page and the status page under api.publicUrl', async () => {
    const links = (a: AlertEvent) => [a.incidentUrl, a.statusUrl];
    for (let i = 0; i < 3; i++) await minute(i, 'down');
    expect((await listOutbox(db.h.db)).map((o) => links(o.payload as AlertEvent))).toEqual([
      [null, null],
      [null, null],
    ]);
    cfg = { ...cfg, api: apiSchema().parse({ publicUrl: 'https://vigil.example.com/' }) };
    for (let i = 3; i < 5; i++) await minute(i, 'up');
    const [incident] = await listIncidents(db.h.db, { scope: 'service' });
    const resolved = (await listOutbox(db.h.db)).slice(2).map((o) => links(o.payload as AlertEvent));
    expect(resolved).toEqual([
      [`https://vigil.example.com/dashboard/incidents/${incident!.id}`, 'https://vigil.example.com/'],
      [`https://vigil.example.com/dashboard/incidents/${incident!.id}`, 'https://vigil.example.com/'],
    ]);
  });

  it.runIf(kind === 'postgres')(
    'gives a region that never reports up as no data after the grace period',
    async () => {
      await insertResults(db.h.db, [result(p.id, 'eu', T0, 'up')]);
      clock.set(T0 + 2_000);
      expect((await ev.tick()).slots).toBe(0);
      clock.set(T0 + MIN + 10_000);
      expect((await ev.tick()).slots).toBe(1);
    },
  );

  it.runIf(kind === 'postgres')(
    'judges slots nobody reported as no data and counts them in the rollup',
    async () => {
      clock.set(T0 + 3 * MIN + 10_000);
      expect((await ev.tick()).slots).toBe(3);
      const [r] = await queryRollups(db.h.db, { subjects: [p.id], from: T0, to: T0 + 3 * MIN });
      expect(r?.counts.no_data).toBe(3);
    },
  );

  it.runIf(kind === 'postgres')(
    'records but does not notify an incident while its provider is silenced',
    async () => {
      await createSilence(db.h.db, { target: 'stripe', until: new Date(T0 + 2 * 3_600_000) }, new Date(T0));
      for (let i = 0; i < 3; i++) await minute(i, 'down');
      expect(await listIncidents(db.h.db, { open: true })).toHaveLength(3);
      expect(await listOutbox(db.h.db)).toEqual([]);
    },
  );

  it.runIf(kind === 'postgres')(
    'lets only the lease holder evaluate, so a second evaluator queues nothing',
    async () => {
      const other = createEvaluator({
        db: db.h.db,
        config: () => config([p]),
        clock,
        holder: 'b',
        graceMs: 10_000,
      });
      for (let i = 0; i < 3; i++) {
        await minute(i, 'down');
        expect((await other.tick()).leader).toBe(false);
      }
      expect(await listOutbox(db.h.db)).toHaveLength(2);
      await ev.release();
      clock.advance(1);
      expect((await other.tick()).leader).toBe(true);
    },
  );

  it.runIf(kind === 'postgres')('notifies once when two evaluators tick at the same moment', async () => {
    const other = createEvaluator({
      db: db.h.db,
      config: () => config([p]),
      clock,
      holder: 'b',
      graceMs: 10_000,
    });
    for (let i = 0; i < 3; i++) {
      await insertResults(
        db.h.db,
        ['eu', 'us'].map((r) => result(p.id, r, T0 + i * MIN, 'down')),
      );
      clock.set(T0 + i * MIN + 2_000);
      const [a, b] = await Promise.all([ev.tick(), other.tick()]);
      expect([a.leader, b.leader].filter(Boolean)).toHaveLength(1);
    }
    expect((await listOutbox(db.h.db)).map((o) => o.channel).sort()).toEqual(['log', 'outbox']);
  });

  it.runIf(kind === 'postgres')(
    'stays silent through an outage inside a maintenance window and excludes it',
    async () => {
      const cfg = config([p], {
        maintenance: [
          {
            id: 'deploy',
            match: { providers: ['stripe'] },
            start: new Date(T0).toISOString(),
            duration: 10 * MIN,
          },
        ],
      });
      const quiet = createEvaluator({ db: db.h.db, config: () => cfg, clock, holder: 'a', graceMs: 10_000 });
      for (let i = 0; i < 5; i++) {
        await insertResults(
          db.h.db,
          ['eu', 'us'].map((r) => result(p.id, r, T0 + i * MIN, 'down')),
        );
        clock.set(T0 + i * MIN + 2_000);
        await quiet.tick();
      }
      expect(await listIncidents(db.h.db)).toEqual([]);
      const [r] = await queryRollups(db.h.db, { subjects: [p.id], from: T0, to: T0 + MIN });
      expect(r).toMatchObject({ counts: { excluded: 5, down: 0 }, downMs: 0 });
    },
  );

  it.runIf(kind === 'postgres')(
    'alerts ops once about a failing region and keeps its results out of every verdict',
    async () => {
      const probes = Array.from({ length: 6 }, (_, i) =>
        spec({ id: `api-${i}`, provider: `provider-${i}`, service: `svc-${i}`, regions: ['eu'] }),
      );
      const cfg = config(probes);
      const mon = createEvaluator({
        db: db.h.db,
        config: () => cfg,
        clock,
        holder: 'a',
        graceMs: 10_000,
        healthEveryMs: 0,
      });
      const grids = probes.map((x) => slotOffsetMs(x.id, MIN));
      const base = Date.parse('2025-03-03T11:00:00Z');
      clock.set(base - 1);
      await mon.tick();
      for (let i = 0; i < 9; i++) {
        const rows = probes.map((x, k) =>
          result(x.id, 'eu', base + i * MIN + grids[k]!, i >= 1 && i <= 4 ? 'down' : 'up'),
        );
        await insertResults(db.h.db, rows);
        clock.set(base + (i + 1) * MIN + 1_000);
        await mon.tick();
      }
      const incidents = await listIncidents(db.h.db);
      expect(incidents.map((r) => `${r.scope}:${r.key}`)).toEqual(['monitor:eu']);
      const outbox = (await listOutbox(db.h.db)).map((o) => o.payload as AlertEvent);
      expect(outbox.map((a) => `${a.scope}:${a.event}`)).toEqual([
        'monitor:opened',
        'monitor:opened',
        'monitor:resolved',
        'monitor:resolved',
      ]);
      const [r] = await queryRollups(db.h.db, { subjects: ['api-0'], from: base, to: base + 1 });
      expect(r!.counts.down).toBe(0);
      expect(r!.counts.excluded).toBeGreaterThanOrEqual(4);
    },
  );

  it.runIf(kind === 'postgres')(
    'reads status: state, availability against target, budget and the open incident',
    async () => {
      for (let i = 0; i < 4; i++) await minute(i, i < 1 ? 'up' : 'down');
      const s = await readStatus(db.h.db, config([p]), clock.now());
      expect(s.services.map((x) => [x.key, x.state, x.openIncident?.kind])).toEqual([
        ['payments', 'down', 'down'],
      ]);
      const probe = s.probes[0]!;
      expect(probe).toMatchObject({ key: p.id, state: 'down', target: 0.98 });
      expect(probe.availability24h.availability).toBeCloseTo(1 / 4);
      expect(probe.p95Ms).toBeCloseTo(120, -1);
      expect(probe.budget30d.exhausted).toBe(true);
      expect(await readIncidents(db.h.db, { open: true })).toHaveLength(3);
    },
  );

  it.runIf(kind === 'postgres')('resolves the incidents of a removed probe without notifying', async () => {
    let cfg = config([p]);
    const e = createEvaluator({ db: db.h.db, config: () => cfg, clock, holder: 'a', graceMs: 10_000 });
    for (let i = 0; i < 3; i++) {
      await insertResults(
        db.h.db,
        ['eu', 'us'].map((r) => result(p.id, r, T0 + i * MIN, 'down')),
      );
      clock.set(T0 + i * MIN + 2_000);
      await e.tick();
    }
    expect(await listIncidents(db.h.db, { open: true })).toHaveLength(3);
    cfg = config([]);
    clock.advance(MIN);
    await e.tick();
    expect(await listIncidents(db.h.db, { open: true })).toEqual([]);
    expect(await listOutbox(db.h.db)).toHaveLength(2);
  });
});

describe.each(['postgres'] as const)('recomputing rollups on %s', (kind) => {
  it('yields the stored row from raw results for an hour of mixed slots', async () => {
    const db = await testDb(kind);
    try {
      const clock = manualClock(T0 - 1);
      const cfg = config([p], {
        maintenance: [
          {
            id: 'deploy',
            match: { probes: [p.id] },
            start: new Date(T0 + 20 * MIN).toISOString(),
            duration: 5 * MIN,
          },
        ],
      });
      const ev = createEvaluator({ db: db.h.db, config: () => cfg, clock, holder: 'a', graceMs: 10_000 });
      await ev.tick();
      for (let i = 0; i < 70; i++) {
        const at = T0 + i * MIN;
        const outcome = i % 7 === 3 ? 'down' : 'up';
        const regions = i % 11 === 5 ? ['eu'] : i % 13 === 6 ? [] : ['eu', 'us'];
        await insertResults(
          db.h.db,
          regions.map((r) => result(p.id, r, at, outcome, 100 + i)),
        );
        clock.set(at + (i % 4 === 0 ? 2_000 : MIN + 15_000));
        await ev.tick();
      }
      const hour = Math.floor((T0 + 5 * MIN) / 3_600_000) * 3_600_000;
      for (const h of [hour, hour + 3_600_000]) {
        const [stored] = await queryRollups(db.h.db, { subjects: [p.id], from: h, to: h + 1 });
        const again = await recomputeRollups(db.h.db, p.id, h, { config: cfg });
        expect(again).toEqual(stored);
        expect(again.counts.excluded).toBe(h === hour ? 5 : 0);
      }
    } finally {
      await db.cleanup();
    }
  });
});
