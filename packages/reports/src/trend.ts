import { previousPeriod, summarizeTimes, type Period, type VerdictTimes } from '@vigil/core';
import { emptyTimes } from './acc.js';
import { pct } from './format.js';
import { periodLabel } from './calendar.js';
import type {
  EarlierPeriod,
  Figures,
  ProbeReport,
  ReportKind,
  ReportTrend,
  ServiceReport,
  TrendPoint,
} from './types.js';

/**
 * The periods before `previous` the trend shows, oldest first: for the quarterly report the two
 * quarters before the previous one (with it and this one, the last four quarters); none otherwise.
 * What the caller reads into `ReportInput.earlier` (one verdict-times total per subject and period).
 */
export function trendPeriods(kind: ReportKind, period: Period): Period[] {
  if (kind !== 'quarterly') return [];
  const q2 = previousPeriod(previousPeriod(period));
  return [previousPeriod(q2), q2];
}

/** Σ up ÷ Σ (up + down) over the APIs with enough data to judge, as the headline does. */
function overallOf(figures: readonly Pick<Figures, 'status' | 'upMs' | 'downMs'>[]): number | null {
  let up = 0;
  let down = 0;
  for (const f of figures)
    if (f.status !== 'insufficient_data') {
      up += f.upMs;
      down += f.downMs;
    }
  return up + down > 0 ? up / (up + down) : null;
}

/**
 * This period against the previous one and, quarterly, the two quarters before (from `earlier`: a
 * period not given reads n/a). Earlier services come from the evaluator's service totals only.
 */
export function trendOf(
  kind: ReportKind,
  period: Period,
  previous: Period,
  earlier: readonly EarlierPeriod[] | undefined,
  services: readonly ServiceReport[],
  probes: readonly ProbeReport[],
  overallNow: number | null,
): ReportTrend {
  const before = trendPeriods(kind, period).map((p) => ({
    p,
    totals: earlier?.find((e) => e.period.key === p.key)?.totals,
  }));
  const judge = (t: VerdictTimes | undefined, p: Period, target: number): TrendPoint => {
    const a = summarizeTimes(t ?? emptyTimes(), p.to - p.from, target);
    return { availability: a.availability, status: a.status };
  };
  const point = (f: Figures): TrendPoint => ({ availability: f.availability, status: f.status });
  return {
    periods: [...before.map((b) => b.p), previous, period].map((p) => ({
      key: p.key,
      label: periodLabel(p),
      from: p.from,
      to: p.to,
    })),
    overall: [
      ...before.map(({ p, totals }) =>
        totals
          ? overallOf(
              probes.map((pr) =>
                summarizeTimes(totals.get(pr.key) ?? emptyTimes(), p.to - p.from, pr.probe.target),
              ),
            )
          : null,
      ),
      overallOf(probes.map((pr) => pr.previous)),
      overallNow,
    ],
    services: services.map((s) => ({
      key: s.key,
      name: s.name,
      points: [
        ...before.map(({ p, totals }) => judge(totals?.get(`service:${s.key}`), p, s.current.target)),
        point(s.previous),
        point(s.current),
      ],
    })),
  };
}

/** The trend's period keys, shortened to `Q3 2026` for quarters. */
export function trendKeys(t: ReportTrend): string[] {
  return t.periods.map((p) => p.key.replace(/^(\d{4})-(Q\d)$/, '$2 $1'));
}

/** A point as a cell reads: the availability, "insufficient data", or "n/a" when nothing was read. */
export function trendPointText(p: TrendPoint): string {
  if (p.availability === null) return 'n/a';
  return p.status === 'insufficient_data' ? 'insufficient data' : pct(p.availability);
}
