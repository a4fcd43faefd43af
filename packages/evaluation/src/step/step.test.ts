import { describe, expect, it } from 'vitest';
import { apiSchema, type VigilConfig } from '@vigil/config';
import type { Outcome, SilenceWindow } from '@vigil/core';
import { config, slotResult, spec } from '../testing/builders.js';
import { alertSubjects, outboxRows } from './outbox.js';
import { slotGrid } from './schedule.js';
import {
  newEvaluationState,
  slotRanges,
  step,
  type EvaluationState,
  type StepEffects,
  type StepInputs,
} from './step.js';

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const probe = spec({ id: 'api', provider: 'stripe', service: 'payments', regions: ['eu', 'us'] });
const grid = slotGrid(probe);
const T0 = grid.ceil(Date.parse('2025-03-03T10:00:00Z'));
const slot = (k: number) => T0 + k * MIN;

interface Run {
  state: EvaluationState;
  effects: StepEffects[];
}

/** Steps once at T0 (the probe starts there), then once per slot with both regions' results. */
function run(
  outcomes: readonly Outcome[],
  o: { cfg?: VigilConfig; silences?: SilenceWindow[]; start?: EvaluationState } = {},
): Run {
  const cfg = o.cfg ?? config([probe], { channels: { ops: { type: 'log' } as never } });
  let ids = 0;
  const opts = {
    graceMs: 30_000,
    healthWindowMs: 120_000,
    maxSlotsPerProbe: 500,
    newIncidentId: () => `inc_${++ids}`,
  };
  const tick = (state: EvaluationState, now: number, results: StepInputs['results']) =>
    step(
      state,
      {
        now,
        config: cfg,
        channels: ['ops'],
        ranges: slotRanges(state, cfg.probes, now, 500),
        results,
        health: null,
        burnLong: new Map(),
        silences: o.silences ?? [],
      },
      opts,
    );
  const start = tick(o.start ?? newEvaluationState(), T0, []);
  let state = start.state;
  const effects = [start.effects];
  outcomes.forEach((outcome, k) => {
    const r = tick(state, slot(k) + 1_000, [
      slotResult('api', 'eu', slot(k), outcome),
      slotResult('api', 'us', slot(k), outcome),
    ]);
    state = r.state;
    effects.push(r.effects);
  });
  return { state, effects };
}

const opened = (r: Run) =>
  r.effects.flatMap((e) => e.incidentInserts.map((i) => `${i.scope}:${i.key}:${i.kind}`));
const alerted = (r: Run) =>
  r.effects.flatMap((e) =>
    e.alerts.map(
      (a) =>
        `${a.notification.kind} ${a.notification.incident.scope}:${a.notification.incident.key} → ${a.channels.join(',')}`,
    ),
  );

describe('step', () => {
  it.each([
    ['every slot up', ['up', 'up', 'up', 'up'], [], []],
    ['two failed slots (3 of 5 open)', ['up', 'down', 'down', 'up'], [], []],
    [
      'three failed slots in a row',
      ['up', 'down', 'down', 'down'],
      ['probe:api:down', 'provider:stripe:down', 'service:payments:down'],
      ['opened service:payments → ops'],
    ],
  ] as const)('%s (%j) opens %j and alerts %j', (_name, outcomes, incidents, alerts) => {
    const r = run(outcomes);
    expect(opened(r)).toEqual(incidents);
    expect(alerted(r)).toEqual(alerts);
  });

  it('judges each slot once and rolls it up for the probe, its provider and its service', () => {
    const r = run(['up', 'up']);
    expect(r.effects.map((e) => e.judged.get('api')?.map((s) => s.verdict) ?? [])).toEqual([
      [],
      ['up'],
      ['up'],
    ]);
    expect(new Set(r.effects.flatMap((e) => e.rollups.map((d) => d.probeId)))).toEqual(
      new Set(['api', 'provider:stripe', 'service:payments']),
    );
    expect(r.effects[2]!.stateWrites.map((w) => w.subject)).toContain('probe:api');
  });

  it('leaves the state it was given as it was', () => {
    const before = run(['up', 'up', 'down']).state;
    const snapshot = structuredClone({ engine: before.engine, open: before.open });
    const after = run(['down', 'down', 'down', 'down', 'down'], { start: before });
    expect(opened(after)).toContain('probe:api:down');
    expect({ engine: before.engine, open: before.open }).toEqual(snapshot);
  });

  it('records an incident a silence holds back, and alerts nothing for it', () => {
    const silences = [{ target: 'payments', startsAt: new Date(T0), endsAt: new Date(T0 + 60 * MIN) }];
    const r = run(['down', 'down', 'down'], { silences });
    expect(opened(r)).toContain('service:payments:down');
    expect(alerted(r)).toEqual([]);
  });

  it('alerts nothing when no route matches, and routes by the snapshot it was given', () => {
    const cfg = config([probe], {
      channels: { ops: { type: 'log' } as never },
      routes: [{ match: { provider: 'paypal' }, channels: ['ops'] }],
    });
    expect(alerted(run(['down', 'down', 'down'], { cfg }))).toEqual([]);
  });

  it('resolves the open incidents of a probe removed from the config, without an alert, and forgets its state', () => {
    const open = run(['down', 'down', 'down']).state;
    const r = step(
      open,
      {
        now: slot(4),
        config: config([]),
        channels: ['ops'],
        ranges: [],
        results: [],
        health: null,
        burnLong: new Map(),
        silences: [],
      },
      { graceMs: 30_000, healthWindowMs: 120_000, maxSlotsPerProbe: 500, newIncidentId: () => 'x' },
    );
    expect(r.effects.incidentUpdates.map((i) => [i.key, i.resolvedAt?.getTime()])).toEqual([
      ['api', slot(4)],
      ['stripe', slot(4)],
      ['payments', slot(4)],
    ]);
    expect(r.effects.alerts).toEqual([]);
    expect(r.effects.stateDeletes.sort()).toEqual(['probe:api', 'provider:stripe', 'service:payments']);
    expect(r.state.open.size).toBe(0);
  });
});

describe('outboxRows', () => {
  it('shows the stored totals plus the tick’s own rollup deltas, per channel', () => {
    const r = run(['down', 'down', 'down']);
    const last = r.effects[r.effects.length - 1]!;
    expect(alertSubjects(last.alerts)).toEqual(['service:payments']);
    // a full day of data before this tick (the reports' 90% coverage rule is met)
    const stored = {
      upMs: DAY - MIN,
      degradedMs: 0,
      downMs: 0,
      noDataMs: 0,
      excludedMs: 0,
      rateLimitedMs: 0,
    };
    let n = 0;
    const rows = outboxRows(
      last.alerts,
      new Map([['service:payments', { '24h': stored, '30d': stored }]]),
      last.rollups,
      slot(2) + 1_000,
      () => `ob_${++n}`,
    );
    expect(rows.map((x) => [x.id, x.channel, x.payload.event])).toEqual([['ob_1', 'ops', 'opened']]);
    // the third failed slot is this tick's delta: 1439 min up + 1 min down
    expect(rows[0]!.payload.availability24h).toBeCloseTo(1439 / 1440, 9);
    expect(rows[0]!.payload.dataMs24h).toBe(DAY);
  });

  const times = (upMin: number, downMin: number, rlMin = 0) => ({
    upMs: upMin * MIN,
    degradedMs: 0,
    downMs: downMin * MIN,
    noDataMs: 0,
    excludedMs: 0,
    rateLimitedMs: rlMin * MIN,
  });
  const DAY_MIN = 24 * 60;
  it.each([
    // [case, 24 h stored, 30 d stored, availability24h, availability30d, budgetLeft, dataMs24h, dataMs30d]
    [
      'a fresh install: 1 min of data, never a huge negative budget',
      times(0, 0),
      times(0, 0),
      null,
      null,
      null,
      1,
      1,
    ],
    [
      '24 h covered, 30 d not (a day of 30)',
      times(DAY_MIN - 1, 0),
      times(DAY_MIN - 1, 0),
      1439 / 1440,
      null,
      null,
      DAY_MIN,
      DAY_MIN,
    ],
    ['just under 90% of 24 h: n/a', times(1294, 0), times(1294, 0), null, null, null, 1295, 1295],
    ['exactly 90% of 24 h: shown', times(1295, 0), times(1295, 0), 1295 / 1296, null, null, 1296, 1296],
    // 30 d at 99% data, 120 min down: budget = 2% × 30 d = 864 min, 121 used → 743 / 864 left
    [
      '30 d covered: budget of (1 − target) × 30 d',
      times(DAY_MIN - 1, 0),
      times(42_647, 120),
      1439 / 1440,
      42_647 / 42_768,
      743 / 864,
      DAY_MIN,
      42_768,
    ],
    // 30 d with 1000 min down: 1001 used of 864 → overspent, honestly negative
    [
      '30 d covered and overspent',
      times(DAY_MIN - 1, 0),
      times(41_767, 1000),
      1439 / 1440,
      41_767 / 42_768,
      (864 - 1001) / 864,
      DAY_MIN,
      42_768,
    ],
  ])('figures: %s', (_name, d1, d30, a1, a30, budget, data1, data30) => {
    const r = run(['down', 'down', 'down']);
    const last = r.effects[r.effects.length - 1]!;
    const [row] = outboxRows(
      last.alerts,
      new Map([['service:payments', { '24h': d1, '30d': d30 }]]),
      last.rollups,
      slot(2) + 1_000,
      () => 'ob',
    );
    const p = row!.payload;
    const close = (v: number | null, want: number | null) =>
      want === null ? expect(v).toBeNull() : expect(v).toBeCloseTo(want, 9);
    close(p.availability24h, a1);
    close(p.availability30d, a30);
    close(p.budgetLeft, budget);
    expect([p.dataMs24h, p.dataMs30d]).toEqual([data1 * MIN, data30 * MIN]);
  });

  it('starts the alert at the first bad slot and says when it was detected', () => {
    const r = run(['up', 'down', 'down', 'down']);
    const last = r.effects[r.effects.length - 1]!;
    const [row] = outboxRows(last.alerts, new Map(), [], slot(3) + 10_000, () => 'ob');
    expect(row!.payload).toMatchObject({ event: 'opened', since: slot(1), detectedAt: slot(3) + 10_000 });
  });

  it('links the alert to its incident page and the status page under vigil.yaml api.publicUrl', () => {
    const api = apiSchema().parse({ publicUrl: 'https://vigil.example.com/' });
    const cfg = config([probe], { channels: { ops: { type: 'log' } as never }, api });
    const r = run(['down', 'down', 'down'], { cfg });
    const last = r.effects[r.effects.length - 1]!;
    const [row] = outboxRows(last.alerts, new Map(), [], slot(2) + 1_000, () => 'ob');
    // the service's incident (the probe's and provider's are grouped under it)
    expect(row!.payload).toMatchObject({
      scope: 'service',
      incidentId: 'inc_3',
      incidentUrl: 'https://vigil.example.com/dashboard/incidents/inc_3',
      statusUrl: 'https://vigil.example.com/',
    });
  });

  it('links nowhere without api.publicUrl (never a localhost guess)', () => {
    const r = run(['down', 'down', 'down']);
    const last = r.effects[r.effects.length - 1]!;
    const [row] = outboxRows(last.alerts, new Map(), [], slot(2) + 1_000, () => 'ob');
    expect(row!.payload).toMatchObject({ incidentUrl: null, statusUrl: null });
  });

  it('has no figures for a subject with neither stored rows nor deltas in the window', () => {
    const r = run(['down', 'down', 'down']);
    const last = r.effects[r.effects.length - 1]!;
    const rows = outboxRows(last.alerts, new Map(), [], slot(2) + 1_000, () => 'ob');
    expect(rows[0]!.payload).toMatchObject({
      availability24h: null,
      availability30d: null,
      budgetLeft: null,
    });
  });
});
