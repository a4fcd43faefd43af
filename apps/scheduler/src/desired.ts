import type { ProbeSpec } from '@vigil/core';
import type { DesiredSchedule } from '@vigil/queue';

/** One schedule per (probe, region): what the queue should hold for this config. */
export function desiredSchedules(probes: { spec: ProbeSpec; hash: string }[]): DesiredSchedule[] {
  return probes.flatMap(({ spec, hash }) =>
    spec.regions.map((region) => ({ probeId: spec.id, region, schedule: spec.schedule, specHash: hash })),
  );
}
