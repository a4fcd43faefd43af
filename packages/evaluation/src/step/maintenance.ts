import type { MaintenanceConfig } from '@vigil/config';
import {
  maintenanceIntervals,
  type EpochMs,
  type MaintenanceWindow,
  type ProbeSpec,
  type TimeWindow,
} from '@vigil/core';

/** One maintenance entry of vigil.yaml, ready to test slots against. */
export interface Maintenance {
  id: string;
  window: MaintenanceWindow;
  applies(spec: ProbeSpec): boolean;
}

export function toMaintenance(m: MaintenanceConfig, defaultTz: string): Maintenance {
  const tz = m.tz ?? defaultTz;
  const window: MaintenanceWindow =
    m.start !== undefined
      ? { type: 'once', from: Date.parse(m.start), to: Date.parse(m.start) + m.duration }
      : {
          type: 'weekly',
          weekdays: m.weekdays ?? [],
          start: `${String(m.at?.hour ?? 0).padStart(2, '0')}:${String(m.at?.minute ?? 0).padStart(2, '0')}`,
          durationMs: m.duration,
          tz,
        };
  const match = m.match;
  return {
    id: m.id,
    window,
    applies: (spec) =>
      (match.probes === undefined || match.probes.includes(spec.id)) &&
      (match.providers === undefined || match.providers.includes(spec.provider)) &&
      (match.services === undefined || match.services.includes(spec.service)) &&
      Object.entries(match.labels ?? {}).every(([k, v]) => spec.labels[k] === v),
  };
}

/**
 * Whether a probe's slot at an instant is inside maintenance. Occurrences are expanded once for the
 * range the tick looks at, so 10,000 probes cost one expansion per window, not one per slot.
 */
export function maintenanceLookup(
  list: readonly Maintenance[],
  range: TimeWindow,
): (spec: ProbeSpec, at: EpochMs) => boolean {
  const expanded = list.map((m) => ({ m, occ: maintenanceIntervals(m.window, range) }));
  const active = expanded.filter((e) => e.occ.length > 0);
  if (active.length === 0) return () => false;
  return (spec, at) => active.some((e) => e.occ.some((o) => o.from <= at && at < o.to) && e.m.applies(spec));
}
