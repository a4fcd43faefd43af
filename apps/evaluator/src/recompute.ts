import type { VigilConfig } from '@vigil/config';
import {
  defaultLatencyThresholdMs,
  HOUR_MS,
  rollupHour,
  VERDICTS,
  type EpochMs,
  type ErrorClass,
  type HourlyRollup,
} from '@vigil/core';
import {
  addToCumulative,
  getEvaluatorState,
  getRollups,
  incidentsBetween,
  resultsInRanges,
  upsertRollups,
  type Db,
} from '@vigil/db';
import {
  closeDueSlots,
  isWatchdogKey,
  maintenanceLookup,
  newMonitorMemory,
  probeSubject,
  slotGrid,
  toMaintenance,
  readDeclaredMaintenance,
  unhealthyLookup,
  type ProbeState,
} from '@vigil/evaluation';

export class RecomputeError extends Error {
  readonly code = 'EVAL_RECOMPUTE';
  override readonly name = 'RecomputeError';
}

/**
 * Rebuilds one probe's hourly rollup from raw results, judging each slot the way the evaluator did
 * (same spec, maintenance, region exclusions from monitor incidents, only slots the evaluator has
 * judged); with the same results it yields the stored row. `write` replaces the stored row.
 */
export async function recomputeRollups(
  db: Db,
  probeId: string,
  hourStart: EpochMs,
  o: { config: VigilConfig; write?: boolean },
): Promise<HourlyRollup> {
  const spec = o.config.probes.find((p) => p.id === probeId);
  if (!spec) throw new RecomputeError(`probe "${probeId}" is not in the config`);
  const [stored] = await getEvaluatorState(db, [probeSubject(probeId)]);
  const hourEnd = hourStart + HOUR_MS;
  if (!stored) return empty(probeId, hourStart);
  const st = stored.state as ProbeState;
  const grid = slotGrid(spec);
  const from = Math.max(st.first, grid.floor(hourStart));
  const to = Math.min(hourEnd, st.next);
  if (to <= from) return empty(probeId, hourStart);
  let count = 0;
  for (let at = grid.ceil(from); at < to; at = grid.next(at)) count++;
  const monitor = newMonitorMemory();
  for (const i of await incidentsBetween(db, new Date(from), new Date(to)))
    if (i.scope === 'monitor' && !isWatchdogKey(i.key)) {
      if (i.resolvedAt)
        monitor.past.push({ region: i.key, from: i.openedAt.getTime(), to: i.resolvedAt.getTime() });
      else monitor.unhealthySince[i.key] = i.openedAt.getTime();
    }
  const excluded = maintenanceLookup(
    [
      ...o.config.maintenance.map((m) => toMaintenance(m, o.config.timezone)),
      ...(await readDeclaredMaintenance(db, o.config, { from, to }, to)),
    ],
    { from, to },
  );
  const results = await resultsInRanges(db, [{ probeId, from, to }]);
  const { slots } = closeDueSlots(
    {
      grid,
      regions: spec.regions,
      latencyThresholdMs: defaultLatencyThresholdMs(spec.critical),
      ...(o.config.alerting.quorum === undefined ? {} : { quorum: o.config.alerting.quorum }),
      graceMs: 0,
      excluded: (at) => excluded(spec, at),
      unhealthy: unhealthyLookup(monitor),
    },
    from,
    results,
    Number.MAX_SAFE_INTEGER,
    count,
  );
  const row = rollupHour(probeId, hourStart, slots);
  if (o.write)
    await db.transaction(async (tx) => {
      const [old] = await getRollups(tx, [{ subject: probeId, hourStart }]);
      await upsertRollups(tx, [row]);
      await addToCumulative(tx, [old ? difference(row, old) : row]);
    });
  return row;
}

function empty(probeId: string, hourStart: EpochMs): HourlyRollup {
  return rollupHour(probeId, hourStart, []);
}

/** `a - b`, for correcting running totals by what a rewritten hour changed. */
function difference(a: HourlyRollup, b: HourlyRollup): HourlyRollup {
  const d = rollupHour(a.probeId, a.hourStart, []);
  for (const k of ['upMs', 'degradedMs', 'downMs', 'noDataMs', 'excludedMs', 'rateLimitedMs'] as const)
    d[k] = a[k] - b[k];
  for (const v of VERDICTS) d.counts[v] = a.counts[v] - b.counts[v];
  for (const c of new Set([
    ...Object.keys(a.errorClasses),
    ...Object.keys(b.errorClasses),
  ]) as Set<ErrorClass>)
    d.errorClasses[c] = (a.errorClasses[c] ?? 0) - (b.errorClasses[c] ?? 0);
  for (const k of new Set([...Object.keys(a.latency), ...Object.keys(b.latency)]).values())
    d.latency[Number(k)] = (a.latency[Number(k)] ?? 0) - (b.latency[Number(k)] ?? 0);
  for (const k of ['dnsMs', 'connectMs', 'tlsMs', 'ttfbMs', 'n'] as const)
    d.phaseSums[k] = a.phaseSums[k] - b.phaseSums[k];
  return d;
}
