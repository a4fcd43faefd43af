import { quantile } from './stats.js';

/** A stored result: when its run ended is `startedAt + totalMs`. */
export interface EndedRun {
  probeId: string;
  slotAt: number;
  startedAt: number;
  totalMs: number;
}

export interface VerdictFigures {
  /** runs whose slot got a verdict */
  judged: number;
  /** runs whose slot had no verdict by the end of the wait */
  unjudged: number;
  p50Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
}

/**
 * Pure: for each run, the time from its end (started_at + total_ms, the worker's clock) to its slot's
 * verdict committing (`judged`: [probeId, slotAt, committedAt], the evaluator's clock; one machine,
 * one clock). The first verdict of a slot counts.
 */
export function verdictLatency(
  runs: readonly EndedRun[],
  judged: readonly (readonly [string, number, number])[],
): VerdictFigures {
  const at = new Map<string, number>();
  for (const [probeId, slotAt, committedAt] of judged) {
    const k = `${probeId} ${slotAt}`;
    if (!at.has(k)) at.set(k, committedAt);
  }
  const lags: number[] = [];
  let unjudged = 0;
  for (const r of runs) {
    const t = at.get(`${r.probeId} ${r.slotAt}`);
    if (t === undefined) unjudged++;
    else lags.push(Math.max(0, t - (r.startedAt + r.totalMs)));
  }
  return {
    judged: lags.length,
    unjudged,
    p50Ms: quantile(lags, 0.5),
    p99Ms: quantile(lags, 0.99),
    maxMs: lags.length === 0 ? null : lags.reduce((a, b) => Math.max(a, b)),
  };
}
