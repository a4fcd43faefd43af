import { afterEach, beforeEach, expect, it } from 'vitest';
import { DEFAULT_SERVICE_MODE, HOUR_MS, mergeRollups, periodOf, type HourlyRollup } from '@vigil/core';
import {
  addToCumulative,
  migrate,
  openDb,
  saveEvaluatorState,
  upsertRollups,
  type DbHandle,
} from '@vigil/db';
import { slotGrid } from '../step/schedule.js';
import { newEvaluationState, slotRanges, step } from '../step/step.js';
import { config, slotResult, spec } from '../testing/builders.js';
import { generateReport } from './report.js';
import { readStatus } from './status.js';

const MIN = 60_000;
let h: DbHandle;
beforeEach(async () => {
  h = await openDb({ dataDir: 'memory://' });
  await migrate(h);
});
afterEach(() => h.close());

it('gives a service nobody declared the same availability in status and in the report', async () => {
  const a = spec({ id: 'a', provider: 'p1', service: 'svc', regions: ['eu'], critical: false });
  const b = spec({ id: 'b', provider: 'p2', service: 'svc', regions: ['eu'], critical: false });
  const cfg = config([a, b], { regions: ['eu'] });
  const start = Date.parse('2025-03-05T10:00:00Z');
  // a is down for 40 minutes, b for 30 of them: with failover (any) the service is down 30 minutes
  const down = { a: [10, 50], b: [20, 50] } as const;
  let state = newEvaluationState();
  const deltas: HourlyRollup[] = [];
  const opts = { graceMs: 0, healthWindowMs: 120_000, maxSlotsPerProbe: 500, newIncidentId: () => 'inc' };
  const tick = (now: number, at: number | null) => {
    const results =
      at === null
        ? []
        : [a, b].map((p) => {
            const k = (slotGrid(p).floor(at) - start) / MIN;
            const [from, to] = down[p.id as 'a' | 'b'];
            return slotResult(p.id, 'eu', slotGrid(p).floor(at), k >= from && k < to ? 'down' : 'up');
          });
    const r = step(
      state,
      {
        now,
        config: cfg,
        channels: [],
        ranges: slotRanges(state, cfg.probes, now, 500),
        results,
        health: null,
        burnLong: new Map(),
        silences: [],
      },
      opts,
    );
    state = r.state;
    deltas.push(...r.effects.rollups);
    return r.effects;
  };
  tick(start - MIN, null);
  for (let k = 0; k < 70; k++) {
    const effects = tick(start + k * MIN + 1_000, start + k * MIN + 1_000);
    await saveEvaluatorState(h.db, effects.stateWrites, new Date(start));
  }
  const merged = new Map<string, HourlyRollup>();
  for (const d of deltas) {
    const key = `${d.probeId}@${d.hourStart}`;
    const prev = merged.get(key);
    merged.set(key, prev ? mergeRollups([prev, d])! : d);
  }
  await upsertRollups(h.db, [...merged.values()]);
  await addToCumulative(h.db, deltas);

  const now = start + 2 * HOUR_MS;
  const status = await readStatus(h.db, cfg, now);
  const report = await generateReport(h.db, cfg, {
    kind: 'weekly',
    period: periodOf('week', start, 'UTC'),
    generatedAt: now,
  });
  const svcStatus = status.services.find((s) => s.key === 'svc')!;
  const svcReport = report.services.find((s) => s.key === 'svc')!;
  expect(svcReport.mode).toBe(DEFAULT_SERVICE_MODE);
  expect(svcStatus.availability24h.downMs).toBe(30 * MIN);
  expect(svcReport.current.downMs).toBe(svcStatus.availability24h.downMs);
});
