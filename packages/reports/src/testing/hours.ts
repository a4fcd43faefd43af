import { histAdd, HOUR_MS, type HourlyRollup, type LatencyHistogram } from '@vigil/core';

export interface HourSpec {
  upMs?: number;
  downMs?: number;
  degradedMs?: number;
  rateLimitedMs?: number;
  excludedMs?: number;
  /** latency of every up call this hour */
  latencyMs?: number;
  errorClass?: HourlyRollup['errorClasses'];
}

/** An hourly rollup with one call per minute of verdict time. */
export function hour(probeId: string, hourStart: number, s: HourSpec = {}): HourlyRollup {
  const downMs = s.downMs ?? 0;
  const rateLimitedMs = s.rateLimitedMs ?? 0;
  const excludedMs = s.excludedMs ?? 0;
  const upMs = s.upMs ?? HOUR_MS - downMs - rateLimitedMs - excludedMs;
  const degradedMs = s.degradedMs ?? 0;
  const per = (ms: number) => Math.round(ms / 60_000);
  const upCalls = per(upMs - degradedMs);
  const latency: LatencyHistogram = upMs > 0 ? histAdd({}, s.latencyMs ?? 120, per(upMs)) : {};
  return {
    probeId,
    hourStart,
    upMs,
    degradedMs,
    downMs,
    noDataMs: 0,
    excludedMs,
    rateLimitedMs,
    counts: {
      up: upCalls,
      degraded: per(degradedMs),
      down: per(downMs),
      no_data: 0,
      excluded: per(excludedMs),
      rate_limited: per(rateLimitedMs),
    },
    errorClasses: s.errorClass ?? (downMs > 0 ? { timeout: per(downMs) } : {}),
    latency,
    phaseSums: {
      dnsMs: 3 * per(upMs),
      connectMs: 8 * per(upMs),
      tlsMs: 15 * per(upMs),
      ttfbMs: ((s.latencyMs ?? 120) - 26) * per(upMs),
      n: per(upMs),
    },
  };
}

/** Every hour of [from, to), shaped by `spec` (return null for an hour without a rollup). */
export function hours(
  probeId: string,
  from: number,
  to: number,
  spec: (hourStart: number, i: number) => HourSpec | null = () => ({}),
): HourlyRollup[] {
  const out: HourlyRollup[] = [];
  for (let t = from, i = 0; t < to; t += HOUR_MS, i++) {
    const s = spec(t, i);
    if (s) out.push(hour(probeId, t, s));
  }
  return out;
}
