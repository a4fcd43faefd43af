import { attachToOpenParent, type IncidentEvent, type IncidentScope } from '@vigil/core';
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
 * Alert grouping over one tick's events: probes attach to their provider's open `down` incident and
 * providers to a serving service's (core's attachToOpenParent: one rule for both levels), and a
 * `degraded` or `slo_burn` incident that opens while its subject or an ancestor is down opens silently
 * (it says nothing the down alert did not). Updates the attachments in `mem`.
 */
export function groupTickEvents(
  events: readonly IncidentEvent[],
  h: Hierarchy,
  mem: MonitorMemory,
): IncidentEvent[] {
  const probes = attachToOpenParent({
    events,
    scope: 'probe',
    openParentOf: (key) => {
      const provider = h.providerOf[key];
      return provider !== undefined && h.downOpen('provider', provider) ? provider : undefined;
    },
    attached: mem.attached,
  });
  const providers = attachToOpenParent({
    events: probes.events,
    scope: 'provider',
    openParentOf: (key) => (h.servicesOf.get(key) ?? []).find((s) => h.downOpen('service', s)),
    attached: mem.attachedProviders,
  });
  mem.attached = probes.attached;
  mem.attachedProviders = providers.attached;
  return providers.events.map((e): IncidentEvent => {
    if (
      (e.kind === 'degraded' || e.kind === 'slo_burn') &&
      (e.type === 'opened' || e.type === 'flapping_started')
    )
      return ancestorsDown(e, h) ? { ...e, silent: true } : e;
    return e;
  });
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
