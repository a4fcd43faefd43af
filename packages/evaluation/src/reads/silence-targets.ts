import type { VigilConfig } from '@vigil/config';
import { getIncident, type Db } from '@vigil/db';

/**
 * What a silence may name from the config: probe ids, providers, services (the probes' and the declared
 * ones), regions — each list without repeats, probes, providers and services sorted, regions in config order.
 */
export interface SilenceTargets {
  probes: string[];
  providers: string[];
  services: string[];
  regions: string[];
}

const uniq = (xs: readonly string[]) => [...new Set(xs)].sort();

/** The names of the config a silence may target (the one rule of `vigil silence`, the dashboard and the API). */
export function silenceTargets(config: VigilConfig): SilenceTargets {
  return {
    probes: uniq(config.probes.map((p) => p.id)),
    providers: uniq(config.probes.map((p) => p.provider)),
    services: uniq([...config.probes.map((p) => p.service), ...Object.keys(config.services)]),
    regions: [...new Set(config.regions)],
  };
}

/** Whether a silence may name `target`: a name of the config, or else the id of an open incident. */
export async function isSilenceTarget(db: Db, config: VigilConfig, target: string): Promise<boolean> {
  const t = silenceTargets(config);
  if ([t.probes, t.providers, t.services, t.regions].some((names) => names.includes(target))) return true;
  const incident = await getIncident(db, target);
  return incident !== null && incident.resolvedAt === null;
}
