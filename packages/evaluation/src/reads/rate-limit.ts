import type { VigilConfig } from '@vigil/config';
import type { EpochMs, ProbeResult, ProbeSpec } from '@vigil/core';
import { queryResults, type Db } from '@vigil/db';

/** One provider's requests over a window, against its `rateLimit` budget when it has one. */
export interface ProviderRateLimitUsage {
  provider: string;
  /** `providers.<name>.rateLimit` (per in ms); null without one */
  budget: { requests: number; perMs: number } | null;
  /** requests Vigil sent for the provider's probes (every region) in the window */
  sent: number;
  /**
   * the busiest budget window (`per` long, on slot times) inside the read window: its requests and its
   * start; null without a budget or without a request
   */
  peak: { requests: number; from: EpochMs } | null;
  /** peak.requests / budget.requests; null without a budget */
  peakShare: number | null;
  /** answers with HTTP 429 */
  http429: number;
  /** http429 / sent; null when nothing was sent */
  share429: number | null;
  /** slots recorded rate_limited without a request: deferred by a Retry-After, or out of budget */
  notSent: { deferred: number; budget: number };
}

/**
 * True for a result whose request was not sent: the gate kept it (rate_limited without an HTTP status,
 * see the worker's notSentResult), or the probe could not run as configured (errorClass `config`).
 */
export function wasNotSent(r: Pick<ProbeResult, 'outcome' | 'httpStatus' | 'errorClass'>): boolean {
  return (r.outcome === 'rate_limited' && r.httpStatus === null) || r.errorClass === 'config';
}

const isDeferral = (r: Pick<ProbeResult, 'message'>) => r.message?.includes('(Retry-After)') ?? false;

/**
 * Pure: per provider of `probes` (push probes send nothing and are left out), the requests of `results`
 * against `budgets`. Providers sorted by name.
 */
export function rateLimitUsage(
  probes: readonly Pick<ProbeSpec, 'id' | 'provider' | 'kind'>[],
  budgets: Readonly<Record<string, { requests: number; perMs: number }>>,
  results: readonly Pick<
    ProbeResult,
    'probeId' | 'slotAt' | 'outcome' | 'httpStatus' | 'errorClass' | 'message'
  >[],
): ProviderRateLimitUsage[] {
  const providerOfProbe = new Map(
    probes.filter((p) => p.kind !== 'heartbeat').map((p) => [p.id, p.provider]),
  );
  const byProvider = new Map<string, (typeof results)[number][]>();
  for (const p of new Set(providerOfProbe.values())) byProvider.set(p, []);
  for (const r of results) byProvider.get(providerOfProbe.get(r.probeId) ?? '')?.push(r);
  return [...byProvider.keys()].sort().map((provider) => {
    const rs = byProvider.get(provider)!;
    const budget = budgets[provider] ?? null;
    const sentAt = rs
      .filter((r) => !wasNotSent(r))
      .map((r) => r.slotAt)
      .sort((a, b) => a - b);
    const http429 = rs.filter((r) => r.httpStatus === 429).length;
    const gated = rs.filter((r) => r.outcome === 'rate_limited' && r.httpStatus === null);
    const deferred = gated.filter(isDeferral).length;
    const peak = budget ? busiest(sentAt, budget.perMs) : null;
    return {
      provider,
      budget,
      sent: sentAt.length,
      peak,
      peakShare: budget ? (peak?.requests ?? 0) / budget.requests : null,
      http429,
      share429: sentAt.length === 0 ? null : http429 / sentAt.length,
      notSent: { deferred, budget: gated.length - deferred },
    };
  });
}

/** The most times in a half-open window [t, t + perMs) over sorted `times`. */
function busiest(times: readonly number[], perMs: number): { requests: number; from: EpochMs } | null {
  let best: { requests: number; from: EpochMs } | null = null;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (j < times.length && times[j]! < times[i]! + perMs) j++;
    if (best === null || j - i > best.requests) best = { requests: j - i, from: times[i]! };
  }
  return best;
}

/**
 * Requests spent against each provider's budget and the share of 429 answers, over results with slot_at
 * in [from, to) (one query per probe, so a long window reads a probe's rows at a time).
 */
export async function readRateLimitUsage(
  db: Db,
  config: Pick<VigilConfig, 'probes' | 'providers'>,
  window: { from: EpochMs; to: EpochMs },
): Promise<ProviderRateLimitUsage[]> {
  const budgets: Record<string, { requests: number; perMs: number }> = {};
  for (const [name, p] of Object.entries(config.providers ?? {}))
    if (p.rateLimit) budgets[name] = { requests: p.rateLimit.requests, perMs: p.rateLimit.per };
  const probes = config.probes.filter((p) => p.kind !== 'heartbeat');
  const results: Pick<
    ProbeResult,
    'probeId' | 'slotAt' | 'outcome' | 'httpStatus' | 'errorClass' | 'message'
  >[] = [];
  for (const p of probes) {
    const rows = await queryResults(db, {
      probeId: p.id,
      from: new Date(window.from),
      to: new Date(window.to),
    });
    for (const r of rows)
      results.push({
        probeId: r.probeId,
        slotAt: r.slotAt,
        outcome: r.outcome,
        httpStatus: r.httpStatus,
        errorClass: r.errorClass,
        message: r.message,
      });
  }
  return rateLimitUsage(probes, budgets, results);
}
