import { apiOf, type VigilConfig } from '@vigil/config';
import type { EpochMs, Incident } from '@vigil/core';
import type { Db } from '@vigil/db';
import {
  readHistory,
  readMaintenance,
  type StatusReport,
  serviceDefs,
  type CurrentState,
  type ScheduledMaintenance,
  type SubjectHistory,
  type SubjectStatus,
} from '@vigil/evaluation';

/** A provider as the public page shows it: its name and state, nothing of its probes. */
export interface PublicProvider {
  id: string;
  state: CurrentState;
  /**
   * what its own status page declares now (incidents, maintenance in progress), the provider's word beside
   * ours; null when it declares nothing or has no `providers.<id>.statusPage`
   */
  declares: { text: string; url: string | null } | null;
}

export interface PublicService {
  id: string;
  name: string;
  mode: 'any' | 'all';
  status: SubjectStatus;
  history: SubjectHistory;
  /** null when `statusPage.providers` is off */
  providers: PublicProvider[] | null;
}

export interface StatusPageModel {
  title: string;
  at: EpochMs;
  services: PublicService[];
  /** down / degraded incidents of the shown services (and providers, when shown), open ones */
  open: Incident[];
  /** the same, resolved within the history window, newest first */
  past: Incident[];
  maintenance: ScheduledMaintenance[];
  /** display names of the subjects incidents name: `service:<id>` / `provider:<id>` → name */
  names: Map<string, string>;
}

/** The ids of the services the public page shows, in the order configured (`all`: by id). */
export function publicServiceIds(config: VigilConfig): string[] {
  const known = serviceDefs(config.probes, config.services).map((s) => s.name);
  const listed = apiOf(config).statusPage.services;
  return listed === 'all' ? known : listed.filter((id) => known.includes(id));
}

/** Whether a provider is public: providers are shown, and it serves a public service. */
export function isPublicProvider(config: VigilConfig, provider: string): boolean {
  if (!apiOf(config).statusPage.providers) return false;
  const ids = publicServiceIds(config);
  return serviceDefs(config.probes, config.services).some(
    (s) => ids.includes(s.name) && s.providers.includes(provider),
  );
}

/** Everything the status page shows, from the engine's reads: all public services, or only `only`. */
export async function loadStatusPage(
  db: Db,
  config: VigilConfig,
  now: EpochMs,
  shared: () => Promise<StatusReport>,
  only?: string,
): Promise<StatusPageModel> {
  const page = apiOf(config).statusPage;
  const defs = serviceDefs(config.probes, config.services);
  const ids = publicServiceIds(config).filter((id) => only === undefined || id === only);
  const shown = ids.map((id) => defs.find((d) => d.name === id)!);
  const providerIds = page.providers ? [...new Set(shown.flatMap((s) => s.providers))].sort() : [];
  const [status, history] = await Promise.all([
    shared(),
    readHistory(db, {
      now,
      subjects: [
        ...ids.map((key) => ({ scope: 'service' as const, key })),
        ...providerIds.map((key) => ({ scope: 'provider' as const, key })),
      ],
    }),
  ]);
  const providerState = new Map(status.providers.map((p) => [p.key, p.state]));
  const declared = new Map(status.declarations.map((d) => [d.key, d]));
  const declares = (id: string): PublicProvider['declares'] => {
    const d = declared.get(id);
    if (!d || d.items.length === 0) return null;
    return { text: d.items.map((i) => `${i.title} (${i.impact})`).join('; '), url: d.pageUrl };
  };
  const services: PublicService[] = shown.map((d) => ({
    id: d.name,
    name: status.services.find((s) => s.key === d.name)?.name ?? d.name,
    mode: d.mode,
    status: status.services.find((s) => s.key === d.name)!,
    history: history.get(`service:${d.name}`)!,
    providers: page.providers
      ? d.providers.map((id) => ({ id, state: providerState.get(id) ?? 'unknown', declares: declares(id) }))
      : null,
  }));
  const incidents = [...history.values()].flatMap((h) => h.incidents);
  const newestFirst = (a: Incident, b: Incident) => b.openedAt.getTime() - a.openedAt.getTime();
  // open ones: services before providers, each newest first
  const servicesFirst = (a: Incident, b: Incident) =>
    (a.scope === 'service' ? 0 : 1) - (b.scope === 'service' ? 0 : 1) || newestFirst(a, b);
  const names = new Map<string, string>([
    ...services.map((s) => [`service:${s.id}`, s.name] as const),
    ...providerIds.map((p) => [`provider:${p}`, p] as const),
  ]);
  return {
    title: page.title,
    at: now,
    services,
    open: incidents.filter((i) => i.resolvedAt === null).sort(servicesFirst),
    past: incidents.filter((i) => i.resolvedAt !== null).sort(newestFirst),
    maintenance: readMaintenance(config, now)
      .filter((m) => m.services.some((s) => ids.includes(s)))
      .map((m) => ({ ...m, services: m.services.filter((s) => ids.includes(s)) })),
    names,
  };
}
