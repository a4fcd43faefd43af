import type { EpochMs, ErrorClass, Outcome } from '../types.js';
import { isConfigProblem } from './verdict.js';
import type { IncidentEvent } from './incidents.js';

export interface SelfCheckPolicy {
  /** fewer probes than this in a region never mark it unhealthy. @defaultValue 5 */
  minProbes: number;
  /** share of a region's probes failing in the same slot that marks it unhealthy. @defaultValue 0.8 */
  failRatio: number;
}

export const DEFAULT_SELF_CHECK: SelfCheckPolicy = { minProbes: 5, failRatio: 0.8 };

export interface RegionHealth {
  region: string;
  probes: number;
  failed: number;
  healthy: boolean;
}

/**
 * Region self-check over the results of one slot (one evaluation tick): when nearly every distinct
 * probe of a region failed at once, the monitor there is the likelier culprit than every provider.
 * Runs that could not start as configured (errorClass `config`) say nothing about the region.
 */
export function regionHealth(
  results: readonly { probeId: string; region: string; outcome: Outcome; errorClass?: ErrorClass | null }[],
  policy: SelfCheckPolicy = DEFAULT_SELF_CHECK,
): RegionHealth[] {
  const byRegion = new Map<string, Map<string, boolean>>();
  for (const r of results) {
    if (isConfigProblem(r)) continue;
    const probes = byRegion.get(r.region) ?? new Map<string, boolean>();
    probes.set(r.probeId, (probes.get(r.probeId) ?? false) || r.outcome === 'down');
    byRegion.set(r.region, probes);
  }
  return [...byRegion]
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([region, probes]) => {
      const failed = [...probes.values()].filter(Boolean).length;
      const unhealthy = probes.size >= policy.minProbes && failed / probes.size >= policy.failRatio;
      return { region, probes: probes.size, failed, healthy: !unhealthy };
    });
}

/** Regions currently unhealthy, with the instant each became so. */
export interface MonitorState {
  unhealthySince: Record<string, EpochMs>;
}

/** One `monitor` event for ops when a region turns unhealthy and one when it recovers. */
export function nextMonitorState(
  prev: MonitorState,
  health: readonly RegionHealth[],
  at: EpochMs,
): { state: MonitorState; events: IncidentEvent[] } {
  const unhealthySince = { ...prev.unhealthySince };
  const events: IncidentEvent[] = [];
  for (const h of health) {
    const since = unhealthySince[h.region];
    const detail = { probes: h.probes, failed: h.failed };
    if (!h.healthy && since === undefined) {
      unhealthySince[h.region] = at;
      events.push({
        type: 'opened',
        scope: 'monitor',
        key: h.region,
        kind: 'monitor',
        at,
        openedAt: at,
        detail,
      });
    } else if (h.healthy && since !== undefined) {
      delete unhealthySince[h.region];
      events.push({
        type: 'resolved',
        scope: 'monitor',
        key: h.region,
        kind: 'monitor',
        at,
        openedAt: since,
        detail,
      });
    }
  }
  return { state: { unhealthySince }, events };
}
