import type { VigilConfig } from '@vigil/config';
import type { Outcome, ProbeSpec, SlotResult } from '@vigil/core';

/** Test builders of specs and configs; not part of the public API. */
export function spec(over: Partial<ProbeSpec> = {}): ProbeSpec {
  return {
    id: 'stripe-balance',
    name: 'Stripe balance',
    provider: 'stripe',
    service: 'payments',
    critical: true,
    schedule: { type: 'interval', everyMs: 60_000 },
    timeoutMs: 5_000,
    regions: ['eu', 'us'],
    sloTarget: 0.98,
    labels: {},
    runbook: null,
    kind: 'http',
    spec: { url: 'https://api.stripe.com/v1/balance' },
    expect: {},
    source: { file: 'probes/p.yaml', line: 1, col: 1 },
    ...over,
  };
}

export function config(probes: ProbeSpec[], over: Partial<VigilConfig> = {}): VigilConfig {
  return {
    root: '/tmp',
    timezone: 'UTC',
    regions: ['eu', 'us'],
    probes,
    services: {},
    channels: {},
    routes: [],
    maintenance: [],
    reports: {},
    alerting: { failures: { failures: 3, window: 5 }, recovery: 2, reminder: 2 * 3_600_000 },
    files: [],
    ...over,
  };
}

/** A stored result as the step reads it. */
export function slotResult(
  probeId: string,
  region: string,
  slotAt: number,
  outcome: Outcome,
  latencyMs = 120,
): SlotResult {
  return {
    probeId,
    region,
    slotAt,
    outcome,
    totalMs: latencyMs,
    errorClass: outcome === 'up' ? null : outcome === 'rate_limited' ? 'rate_limited' : 'http_status',
    message: outcome === 'up' ? null : 'expected status 200, got 503',
    dnsMs: 1,
    connectMs: 2,
    tlsMs: 3,
    ttfbMs: latencyMs - 10,
  };
}
