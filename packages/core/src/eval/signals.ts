import { histAddInPlace, histQuantile, type LatencyHistogram } from './histogram.js';
import type { IncidentSignal } from './incidents.js';
import type { BurnAlert, BurnKind } from './slo.js';
import type { SlotVerdict } from './verdict.js';
import type { TimeWindow } from './window.js';

/**
 * Signal for a `degraded` incident track: bad when the q-quantile (default p95) of the latencies of the
 * up slots starting inside `window` exceeds the threshold; skip with fewer than `minSamples` of them.
 */
export function latencySignal(input: {
  slots: readonly SlotVerdict[];
  window: TimeWindow;
  thresholdMs: number;
  /** @defaultValue 0.95 */
  quantile?: number;
  /** @defaultValue 5 */
  minSamples?: number;
}): IncidentSignal {
  const h: LatencyHistogram = {};
  let n = 0;
  for (const s of input.slots) {
    if (s.at < input.window.from || s.at >= input.window.to || s.latencyMs == null) continue;
    if (s.verdict !== 'up' && s.verdict !== 'degraded') continue;
    histAddInPlace(h, s.latencyMs);
    n++;
  }
  if (n < (input.minSamples ?? 5)) return 'skip';
  return histQuantile(h, input.quantile ?? 0.95)! > input.thresholdMs ? 'bad' : 'good';
}

/** Signal for an `slo_burn` incident track of one kind (fast / slow / ticket) from the firing alerts. */
export function burnSignal(alerts: readonly BurnAlert[], kind: BurnKind): IncidentSignal {
  return alerts.some((a) => a.kind === kind) ? 'bad' : 'good';
}
