import type { EpochMs, Incident, ProbeSpec } from '@vigil/core';
import type { EngineMemory } from './engine.js';
import { probeSubject, providerSubject, serviceSubject } from './state.js';

/**
 * A probe, provider, service or region no longer in the config: its open incidents resolve without a
 * notification and its state is forgotten (history and rollups stay). Updates `engine` and `open`.
 */
export function forgetRemoved(
  engine: EngineMemory,
  open: Map<string, Incident>,
  probeSpecs: readonly ProbeSpec[],
  services: readonly string[],
  now: EpochMs,
): { incidents: Incident[]; subjects: string[] } {
  const probes = new Set(probeSpecs.map((p) => p.id));
  const providers = new Set(probeSpecs.map((p) => p.provider));
  const live = new Set([
    ...[...probes].map(probeSubject),
    ...[...providers].map(providerSubject),
    ...services.map(serviceSubject),
  ]);
  const exists = (r: Incident) =>
    r.scope === 'probe'
      ? probes.has(r.key)
      : r.scope === 'provider'
        ? providers.has(r.key)
        : r.scope === 'service'
          ? services.includes(r.key)
          : true;
  const incidents: Incident[] = [];
  for (const [key, r] of open)
    if (!exists(r)) {
      open.delete(key);
      incidents.push({ ...r, resolvedAt: new Date(now), updatedAt: new Date(now) });
    }
  const subjects: string[] = [];
  for (const id of engine.probes.keys())
    if (!probes.has(id)) {
      engine.probes.delete(id);
      subjects.push(probeSubject(id));
    }
  for (const subject of engine.aggregates.keys())
    if (!live.has(subject)) {
      engine.aggregates.delete(subject);
      subjects.push(subject);
    }
  return { incidents, subjects };
}
