import {
  availabilityFromRollups,
  defaultLatencyThresholdMs,
  errorBudget,
  summarizeTimes,
  type ErrorClass,
  type HourlyRollup,
  type TimeWindow,
  type VerdictTimes,
} from '@vigil/core';
import { addRollupCalls, emptyCalls, type CallAcc } from './acc.js';
import type { ErrorShare, Figures, IncidentSummary, LatencyFigures, LatencyStatus } from './types.js';

/** The latency every API should beat (KPI: "latency < 300 ms for optimal performance"). */
export const OPTIMAL_LATENCY_MS = 300;
/** KPI: error rate < 1% of calls. */
export const MAX_ERROR_RATE = 0.01;
/** KPI: integration success rate ≥ 99%. */
export const MIN_SUCCESS_RATE = 0.99;

export interface FigureOptions {
  target: number;
  critical: boolean;
  incidents: IncidentSummary;
}

export const NO_INCIDENTS: IncidentSummary = { count: 0, ongoing: 0, longestMs: null, mttrMs: null };

/** Every figure of a window from its verdict times and calls; the one place figures are computed. */
export function figuresOf(
  times: VerdictTimes,
  window: TimeWindow,
  calls: CallAcc,
  o: FigureOptions,
): Figures {
  const a = summarizeTimes(times, window.to - window.from, o.target);
  const ok = calls.up + calls.degraded;
  const answered = ok + calls.down;
  const all = answered + calls.rateLimited;
  return {
    from: window.from,
    to: window.to,
    target: o.target,
    availability: a.availability,
    coverage: a.coverage,
    status: a.status,
    upMs: times.upMs,
    downMs: times.downMs,
    degradedMs: times.degradedMs,
    rateLimitedMs: times.rateLimitedMs,
    excludedMs: times.excludedMs,
    noDataMs: a.noDataMs,
    calls: all,
    failures: calls.down,
    rateLimited: calls.rateLimited,
    errorRate: answered > 0 ? calls.down / answered : null,
    successRate: all > 0 ? ok / all : null,
    rateLimitedShare: all > 0 ? calls.rateLimited / all : null,
    latency: latencyFigures(calls, o.critical),
    phases:
      calls.phaseN > 0
        ? {
            dnsMs: calls.dnsMs / calls.phaseN,
            connectMs: calls.connectMs / calls.phaseN,
            tlsMs: calls.tlsMs / calls.phaseN,
            ttfbMs: calls.ttfbMs / calls.phaseN,
          }
        : null,
    topErrors: topErrors(calls.errors),
    budget: errorBudget({ upMs: times.upMs, downMs: times.downMs, target: o.target }),
    incidents: o.incidents,
  };
}

/**
 * A probe's figures over a window straight from its hourly rollups, as `vigil status` should print
 * them: the report computes exactly this for every probe and window.
 */
export function figuresFromRollups(
  rollups: readonly HourlyRollup[],
  window: TimeWindow,
  o: Omit<FigureOptions, 'incidents'> & { incidents?: IncidentSummary },
): Figures {
  const a = availabilityFromRollups(rollups, window, o.target);
  const calls = emptyCalls();
  for (const r of rollups) if (callsBelong(r.hourStart, window)) addRollupCalls(calls, r);
  return figuresOf(a, window, calls, { ...o, incidents: o.incidents ?? NO_INCIDENTS });
}

/** Calls count in the window their hour starts in, so adjacent windows never share one. */
export function callsBelong(hourStart: number, window: TimeWindow): boolean {
  return hourStart >= window.from && hourStart < window.to;
}

function latencyFigures(calls: CallAcc, critical: boolean): LatencyFigures {
  const thresholdMs = defaultLatencyThresholdMs(critical);
  const p50Ms = calls.latency.quantile(0.5);
  const p95Ms = calls.latency.quantile(0.95);
  const p99Ms = calls.latency.quantile(0.99);
  let status: LatencyStatus = 'insufficient_data';
  if (p95Ms !== null) status = p95Ms < OPTIMAL_LATENCY_MS ? 'optimal' : p95Ms < thresholdMs ? 'ok' : 'slow';
  return { p50Ms, p95Ms, p99Ms, thresholdMs, status };
}

function topErrors(errors: Partial<Record<ErrorClass, number>>, n = 3): ErrorShare[] {
  const entries = (Object.entries(errors) as [ErrorClass, number][]).filter(
    ([cls, c]) => c > 0 && cls !== 'rate_limited',
  );
  const total = entries.reduce((s, [, c]) => s + c, 0);
  return entries
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, n)
    .map(([errorClass, count]) => ({ errorClass, count, share: count / total }));
}
