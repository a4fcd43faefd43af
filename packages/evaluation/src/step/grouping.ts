import { groupEvents, type IncidentEvent, type IncidentScope } from '@vigil/core';
import type { MonitorMemory } from './state.js';

export interface Hierarchy {
  /** probe id → provider */
  providerOf: Readonly<Record<string, string>>;
  /** probe id → service */
  serviceOfProbe: Readonly<Record<string, string>>;
  /** provider → the services it serves */
  servicesOf: ReadonlyMap<string, readonly string[]>;
  /** whether a `down` track is open after this tick */
  downOpen(scope: IncidentScope, key: string): boolean;
}

/**
 * Alert grouping over one tick's events: probes attach to their provider's open `down` incident (core's
 * groupEvents), providers to a serving service's, and a `degraded` or `slo_burn` incident that opens
 * while its subject or an ancestor is down opens silently (it says nothing the down alert did not).
 * Updates the attachments in `mem`.
 */
export function groupTickEvents(
  events: readonly IncidentEvent[],
  h: Hierarchy,
  mem: MonitorMemory,
): IncidentEvent[] {
  const openProviders = new Set(Object.values(h.providerOf).filter((p) => h.downOpen('provider', p)));
  const probes = groupEvents({ events, providerOf: h.providerOf, openProviders, attached: mem.attached });
  mem.attached = probes.attached;
  const attachedProviders = { ...mem.attachedProviders };
  const out = probes.events.map((e): IncidentEvent => {
    if (e.scope === 'provider' && e.kind === 'down') {
      const parent = attachedProviders[e.key];
      if (parent !== undefined) {
        if (e.type === 'resolved') delete attachedProviders[e.key];
        return { ...e, parent, silent: true };
      }
      const service = (h.servicesOf.get(e.key) ?? []).find((s) => h.downOpen('service', s));
      if (service === undefined) return e;
      if (e.type === 'opened') {
        attachedProviders[e.key] = service;
        return { ...e, type: 'attached', parent: service, silent: true };
      }
      return e.type === 'resolved' ? e : { ...e, silent: true };
    }
    if (
      (e.kind === 'degraded' || e.kind === 'slo_burn') &&
      (e.type === 'opened' || e.type === 'flapping_started')
    )
      return ancestorsDown(e, h) ? { ...e, silent: true } : e;
    return e;
  });
  mem.attachedProviders = attachedProviders;
  return out;
}

function ancestorsDown(e: IncidentEvent, h: Hierarchy): boolean {
  if (h.downOpen(e.scope, e.key)) return true;
  if (e.scope === 'probe') {
    const provider = h.providerOf[e.key];
    const service = h.serviceOfProbe[e.key];
    return (
      (provider !== undefined && h.downOpen('provider', provider)) ||
      (service !== undefined && h.downOpen('service', service))
    );
  }
  if (e.scope === 'provider') return (h.servicesOf.get(e.key) ?? []).some((s) => h.downOpen('service', s));
  return false;
}
