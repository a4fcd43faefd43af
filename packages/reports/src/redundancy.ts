import type { EpochMs, TimeWindow } from '@vigil/core';
import type { RedundancyExposure, ReportIncident, ReportServiceDef } from './types.js';

/**
 * Redundancy exposure of each failover service (mode `any`, two providers or more) within `window`: the
 * time it ran on a single provider because every other one was down, per surviving provider, and the
 * time all were down. Provider downtime is the providers' `down` incidents (from their first bad slot;
 * an open one lasts to the window's end). Pure arithmetic over intervals, in milliseconds.
 */
export function redundancyExposure(
  services: readonly ReportServiceDef[],
  incidents: readonly ReportIncident[],
  window: TimeWindow,
): RedundancyExposure[] {
  const out: RedundancyExposure[] = [];
  for (const svc of services) {
    if (svc.mode !== 'any' || svc.providers.length < 2) continue;
    const down = new Map<string, [EpochMs, EpochMs][]>();
    for (const p of svc.providers) down.set(p, []);
    for (const i of incidents) {
      if (i.scope !== 'provider' || i.kind !== 'down' || !down.has(i.key)) continue;
      const from = Math.max(i.openedAt, window.from);
      const to = Math.min(i.resolvedAt ?? window.to, window.to);
      if (to > from) down.get(i.key)!.push([from, to]);
    }
    const cuts = new Set<EpochMs>([window.from, window.to]);
    for (const spans of down.values()) for (const [a, b] of spans) cuts.add(a).add(b);
    const points = [...cuts].sort((a, b) => a - b);
    const alone = new Map<string, { ms: number; others: Set<string> }>();
    let allDownMs = 0;
    for (let k = 0; k + 1 < points.length; k++) {
      const [a, b] = [points[k]!, points[k + 1]!];
      const isDown = (p: string) => down.get(p)!.some(([f, t]) => f <= a && b <= t);
      const up = svc.providers.filter((p) => !isDown(p));
      if (up.length === 0) allDownMs += b - a;
      else if (up.length === 1) {
        const acc = alone.get(up[0]!) ?? { ms: 0, others: new Set<string>() };
        acc.ms += b - a;
        for (const p of svc.providers) if (p !== up[0]) acc.others.add(p);
        alone.set(up[0]!, acc);
      }
    }
    const spells = svc.providers
      .filter((p) => alone.has(p))
      .map((p) => ({ provider: p, ms: alone.get(p)!.ms, whileDown: [...alone.get(p)!.others] }));
    out.push({
      service: svc.name,
      name: svc.displayName ?? svc.name,
      providers: [...svc.providers],
      singleProviderMs: spells.reduce((s, x) => s + x.ms, 0),
      alone: spells,
      allDownMs,
    });
  }
  return out;
}

/** `2h 5m`, `42m`, `30s`: hours and minutes, seconds only under a minute. */
export function exposureDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? (m > 0 ? `${h}h ${m}m` : `${h}h`) : `${m}m`;
}

/** "payments ran on stripe alone for 3h 12m while paypal was down", one per surviving provider. */
export function redundancySentences(r: RedundancyExposure): string[] {
  if (r.alone.length === 0) return [`${r.name} never ran on a single provider`];
  return r.alone.map(
    (a) =>
      `${r.name} ran on ${a.provider} alone for ${exposureDuration(a.ms)} while ${list(a.whileDown)} ${a.whileDown.length > 1 ? 'were' : 'was'} down`,
  );
}

function list(xs: readonly string[]): string {
  return xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`;
}
