import type { VigilConfig } from '@vigil/config';
import type { EpochMs, ProbeResult, ProbeSpec } from '@vigil/core';
import { queryResults, rateLimitTotals, type Db } from '@vigil/db';
import type { ReportRateLimitUsage } from '@vigil/reports';

/** One provider's requests over a window, against its `rateLimit` budget when it has one (the reports' type). */
export type ProviderRateLimitUsage = ReportRateLimitUsage;

/**
 * True for a result whose request was not sent: the gate kept it (rate_limited without an HTTP status,
 * see the worker's notSentResult), or the probe could not run as configured (errorClass `config`).
 */
export function wasNotSent(r: Pick<ProbeResult, 'outcome' | 'httpStatus' | 'errorClass'>): boolean {
  return (r.outcome === 'rate_limited' && r.httpStatus === null) || r.errorClass === 'config';
}

/** Deferred by Retry-After: the stored reason, or for rows from before probe_results.not_sent its message. */
const isDeferral = (r: Pick<ProbeResult, 'message' | 'notSent'>) =>
  r.notSent !== undefined ? r.notSent === 'deferred' : (r.message?.includes('(Retry-After)') ?? false);

/** Requests one run of a probe sends: pass @vigil/config's `requestsPerRun` (this package takes config types only). */
export type RequestsPerRun = (p: ProbeSpec) => number;

type UsageResult = Pick<
  ProbeResult,
  'probeId' | 'slotAt' | 'outcome' | 'httpStatus' | 'errorClass' | 'message' | 'notSent'
>;

/**
 * Pure: per provider of `probes` (push probes send nothing and are left out), the requests of `results`
 * against `budgets`, each sent run weighing `requestsPerRun` of its probe. Providers sorted by name.
 */
export function rateLimitUsage(
  probes: readonly ProbeSpec[],
  budgets: Readonly<Record<string, { requests: number; perMs: number }>>,
  results: readonly UsageResult[],
  requestsPerRun: RequestsPerRun = () => 1,
): ProviderRateLimitUsage[] {
  const sending = probes.filter((p) => p.kind !== 'heartbeat');
  const providerOfProbe = new Map(sending.map((p) => [p.id, p.provider]));
  const weight = new Map(sending.map((p) => [p.id, requestsPerRun(p)]));
  const byProvider = new Map<string, UsageResult[]>();
  for (const p of new Set(providerOfProbe.values())) byProvider.set(p, []);
  for (const r of results) byProvider.get(providerOfProbe.get(r.probeId) ?? '')?.push(r);
  return [...byProvider.keys()].sort().map((provider) => {
    const rs = byProvider.get(provider)!;
    const budget = budgets[provider] ?? null;
    const sent = rs
      .filter((r) => !wasNotSent(r))
      .map((r) => ({ at: r.slotAt, n: weight.get(r.probeId) ?? 1 }))
      .sort((a, b) => a.at - b.at);
    const http429 = rs.filter((r) => r.httpStatus === 429).length;
    const gated = rs.filter((r) => r.outcome === 'rate_limited' && r.httpStatus === null);
    const deferred = gated.filter(isDeferral).length;
    const peak = budget ? busiest(sent, budget.perMs) : null;
    return {
      provider,
      budget,
      runs: sent.length,
      requests: sent.reduce((n, r) => n + r.n, 0),
      peak,
      peakShare: budget ? (peak?.requests ?? 0) / budget.requests : null,
      http429,
      share429: sent.length === 0 ? null : http429 / sent.length,
      notSent: { deferred, budget: gated.length - deferred },
    };
  });
}

/** The most requests in a half-open window [t, t + perMs) over `sent`, sorted by time. */
function busiest(
  sent: readonly { at: number; n: number }[],
  perMs: number,
): { requests: number; from: EpochMs } | null {
  let best: { requests: number; from: EpochMs } | null = null;
  let inside = 0;
  for (let i = 0, j = 0; i < sent.length; i++) {
    while (j < sent.length && sent[j]!.at < sent[i]!.at + perMs) inside += sent[j++]!.n;
    if (best === null || inside > best.requests) best = { requests: inside, from: sent[i]!.at };
    inside -= sent[i]!.n;
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
  requestsPerRun?: RequestsPerRun,
): Promise<ProviderRateLimitUsage[]> {
  const budgets: Record<string, { requests: number; perMs: number }> = {};
  for (const [name, p] of Object.entries(config.providers ?? {}))
    if (p.rateLimit) budgets[name] = { requests: p.rateLimit.requests, perMs: p.rateLimit.per };
  const probes = config.probes.filter((p) => p.kind !== 'heartbeat');
  const results: UsageResult[] = [];
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
        ...(r.notSent !== undefined && { notSent: r.notSent }),
      });
  }
  return rateLimitUsage(probes, budgets, results, requestsPerRun);
}

/**
 * readRateLimitUsage from the store's totals: one aggregate over the window's results (and one window
 * query per distinct budget `per` for the busiest window) instead of every row of every probe — what a
 * monthly or quarterly report reads. Same figures as readRateLimitUsage.
 */
export async function readRateLimitUsageTotals(
  db: Db,
  config: Pick<VigilConfig, 'probes' | 'providers'>,
  window: { from: EpochMs; to: EpochMs },
  requestsPerRun: RequestsPerRun = () => 1,
): Promise<ProviderRateLimitUsage[]> {
  const budgets: Record<string, { requests: number; perMs: number }> = {};
  for (const [name, p] of Object.entries(config.providers ?? {}))
    if (p.rateLimit) budgets[name] = { requests: p.rateLimit.requests, perMs: p.rateLimit.per };
  const probes = config.probes.filter((p) => p.kind !== 'heartbeat');
  const totals = await rateLimitTotals(db, {
    probes: probes.map((p) => ({ probeId: p.id, provider: p.provider, requestsPerRun: requestsPerRun(p) })),
    from: window.from,
    to: window.to,
    budgetWindows: Object.fromEntries(Object.entries(budgets).map(([n, b]) => [n, b.perMs])),
  });
  const byProvider = new Map(totals.map((t) => [t.provider, t]));
  return [...new Set(probes.map((p) => p.provider))].sort().map((provider) => {
    const t = byProvider.get(provider);
    const budget = budgets[provider] ?? null;
    const runs = t?.runs ?? 0;
    const http429 = t?.http429 ?? 0;
    const peak = budget ? (t?.peak ?? null) : null;
    const deferred = t?.deferred ?? 0;
    return {
      provider,
      budget,
      runs,
      requests: t?.requests ?? 0,
      peak,
      peakShare: budget ? (peak?.requests ?? 0) / budget.requests : null,
      http429,
      share429: runs === 0 ? null : http429 / runs,
      notSent: { deferred, budget: (t?.gated ?? 0) - deferred },
    };
  });
}
