import type { Outcome, ProbeResult } from '@vigil/core';

/** Test builders: specs and configs are the engine's own (@vigil/evaluation/testing); results are the shell's. */
export { config, spec } from '@vigil/evaluation/testing';

export function result(
  probeId: string,
  region: string,
  slotAt: number,
  outcome: Outcome,
  latencyMs = 120,
): ProbeResult {
  return {
    probeId,
    region,
    slotAt,
    startedAt: slotAt + 5,
    phases: { dnsMs: 1, connectMs: 2, tlsMs: 3, ttfbMs: latencyMs - 10, transferMs: 1, totalMs: latencyMs },
    outcome,
    httpStatus: outcome === 'up' ? 200 : outcome === 'rate_limited' ? 429 : 503,
    errorClass: outcome === 'up' ? null : outcome === 'rate_limited' ? 'rate_limited' : 'http_status',
    message: outcome === 'up' ? null : 'expected status 200, got 503',
    assertions: [],
    retryAfterS: null,
    tlsDaysLeft: null,
    workerId: 'test',
  };
}
