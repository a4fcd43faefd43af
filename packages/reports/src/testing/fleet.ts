import { DateTime } from 'luxon';
import type { ErrorClass, SlotVerdict, Verdict } from '@vigil/core';
import type { ReportIncident, ReportProbe, ReportServiceDef } from '../types.js';

export const TZ = 'Europe/Berlin';
export const MIN = 60_000;

/** An instant from Berlin wall-clock time, e.g. `at('2026-03-25T00:30')`. */
export function at(local: string): number {
  return DateTime.fromISO(local, { zone: TZ }).toMillis();
}

export function probe(
  id: string,
  service: string,
  provider: string,
  o: Partial<Omit<ReportProbe, 'id' | 'service' | 'provider'>> = {},
): ReportProbe {
  return { id, name: id, service, provider, critical: false, target: 0.98, labels: {}, createdAt: 0, ...o };
}

export interface Outage {
  from: number;
  to: number;
  verdict: Verdict | 'gap';
  errorClass?: ErrorClass;
  latencyMs?: number;
}

/** One slot: up with a deterministic latency unless an outage says otherwise; `gap` means no slot. */
export function scripted(outages: readonly Outage[], createdAt = 0) {
  return (t: number, i: number): Omit<SlotVerdict, 'at' | 'durationMs'> | null => {
    if (t < createdAt) return null;
    const o = outages.find((x) => t >= x.from && t < x.to);
    if (o?.verdict === 'gap') return null;
    const verdict = o?.verdict ?? 'up';
    const isUp = verdict === 'up' || verdict === 'degraded';
    const latencyMs = o?.latencyMs ?? 60 + ((i * 37) % 240);
    return {
      verdict,
      latencyMs: isUp ? latencyMs : null,
      errorClass: isUp ? null : (o?.errorClass ?? (verdict === 'rate_limited' ? 'rate_limited' : null)),
      phases: isUp ? { dnsMs: 4, connectMs: 9, tlsMs: 18, ttfbMs: latencyMs - 31 } : null,
    };
  };
}

export const SERVICES: ReportServiceDef[] = [
  { name: 'payments', displayName: 'Payments', providers: ['stripe', 'paypal'], mode: 'any', target: 0.99 },
  { name: 'auth', displayName: 'Login', providers: ['google'], mode: 'any', target: 0.98 },
  { name: 'search', displayName: 'Search', providers: ['elasticsearch'], mode: 'all', target: 0.98 },
];

export function incident(
  id: string,
  scope: ReportIncident['scope'],
  key: string,
  openedAt: number,
  resolvedAt: number | null,
  title = `${key} is down`,
): ReportIncident {
  return { id, scope, key, kind: 'down', openedAt, resolvedAt, title };
}
