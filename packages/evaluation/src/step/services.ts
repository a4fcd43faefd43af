import type { ServiceConfig } from '@vigil/config';
import { DEFAULT_SERVICE_MODE, DEFAULT_SLO_TARGET, type CombineMode, type ProbeSpec } from '@vigil/core';

/** A service as the engine combines it: explicit ones from vigil.yaml, implicit ones from probes' `service`. */
export interface ServiceDef {
  name: string;
  providers: string[];
  mode: CombineMode;
  target: number;
}

/**
 * Every service of a config, by name: the declared ones, and for a probe's `service` nobody declared
 * one that combines its providers with DEFAULT_SERVICE_MODE. Status, reports and alerts all read this.
 */
export function serviceDefs(
  probes: readonly ProbeSpec[],
  declared: Record<string, ServiceConfig>,
): ServiceDef[] {
  const out = new Map<string, ServiceDef>();
  const strictest = (pred: (p: ProbeSpec) => boolean) =>
    Math.max(0, ...probes.filter(pred).map((p) => p.sloTarget)) || DEFAULT_SLO_TARGET;
  for (const [name, s] of Object.entries(declared))
    out.set(name, {
      name,
      providers: s.providers,
      mode: s.mode,
      target: s.target ?? strictest((p) => s.providers.includes(p.provider)),
    });
  for (const p of probes) {
    const def = out.get(p.service);
    if (!def)
      out.set(p.service, {
        name: p.service,
        providers: [p.provider],
        mode: DEFAULT_SERVICE_MODE,
        target: p.sloTarget,
      });
    else if (!Object.hasOwn(declared, p.service) && !def.providers.includes(p.provider)) {
      def.providers.push(p.provider);
      def.target = Math.max(def.target, p.sloTarget);
    }
  }
  return [...out.values()].sort((a, b) => a.name.localeCompare(b.name));
}
