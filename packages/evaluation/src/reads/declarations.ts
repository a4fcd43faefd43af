import type { ProviderConfig, VigilConfig } from '@vigil/config';
import type { EpochMs, TimeWindow } from '@vigil/core';
import { declarationsBetween, statusPolls, type Db, type DeclarationRow } from '@vigil/db';
import type { DeclaredItem } from '@vigil/notify';
import type { Maintenance } from '../step/maintenance.js';
import {
  declarationView,
  declaredItem,
  declaredMaintenanceWindows,
  mattersTo,
  type DeclarationView,
} from '../statuspage/view.js';

/** `providers.<name>` of the config (config's providerOf, which this package may not import at run time) */
const providerOf = (config: Pick<VigilConfig, 'providers'>, name: string): ProviderConfig =>
  config.providers?.[name] ?? {};

/** The providers of the config with a status page (`providers.<name>.statusPage`), sorted. */
export function statusPageProviders(config: Pick<VigilConfig, 'providers'>): string[] {
  return Object.keys(config.providers ?? {})
    .filter((p) => providerOf(config, p).statusPage !== undefined)
    .sort();
}

/**
 * What each provider with a status page declares now (incidents, maintenance in progress or announced,
 * components not operational), by provider slug: the read `vigil status`, the API, the dashboard and the
 * evaluator's alerts share. The provider's word, never our measured availability.
 */
export async function readDeclarations(
  db: Db,
  config: Pick<VigilConfig, 'providers'>,
  now: EpochMs,
  providers: readonly string[] = statusPageProviders(config),
): Promise<Map<string, DeclarationView>> {
  const wanted = providers.filter((p) => providerOf(config, p).statusPage !== undefined);
  const out = new Map<string, DeclarationView>();
  if (wanted.length === 0) return out;
  const [polls, rows] = await Promise.all([
    statusPolls(db, wanted),
    declarationsBetween(db, { providers: wanted, from: new Date(now), to: new Date(now + 1) }),
  ]);
  const pollOf = new Map(polls.map((p) => [p.provider, p]));
  for (const p of wanted) {
    const prov = providerOf(config, p);
    out.set(p, declarationView(p, prov.name ?? p, prov.statusPage!, pollOf.get(p), rows, now));
  }
  return out;
}

/** A declaration that started or ended in a span, for the evaluator's follow-up notices. */
export interface DeclarationChange {
  provider: string;
  change: 'started' | 'ended';
  /** when Vigil saw it start or end (epoch ms) */
  at: EpochMs;
  /** `incident:<id>` or `maintenance:<id>`: with `change`, the notice's dedupe key */
  key: string;
  item: DeclaredItem;
}

/** Stored declarations as the changes they made in (after, upTo], the components that matter only. */
export function declarationChangesOf(
  config: Pick<VigilConfig, 'providers'>,
  rows: readonly DeclarationRow[],
  after: EpochMs,
  upTo: EpochMs,
): DeclarationChange[] {
  const out: DeclarationChange[] = [];
  for (const r of rows) {
    const sp = providerOf(config, r.provider).statusPage;
    if (!sp || !mattersTo(r.components, sp.components)) continue;
    const key = `${r.kind}:${r.externalId}`;
    const first = r.firstSeenAt.getTime();
    const end = r.endedSeenAt?.getTime() ?? null;
    // seen already over on its first poll: it never stood while we watched
    if (end === first) continue;
    if (first > after && first <= upTo)
      out.push({
        provider: r.provider,
        change: 'started',
        at: first,
        key,
        item: { ...declaredItem(r), endedAt: null },
      });
    if (end !== null && end > after && end <= upTo)
      out.push({ provider: r.provider, change: 'ended', at: end, key, item: declaredItem(r) });
  }
  return out.sort((a, b) => a.at - b.at);
}

/**
 * The declared maintenance of providers with `excludeDeclaredMaintenance: true`, overlapping `range`, as
 * vigil.yaml maintenance entries for the provider's probes: the step excludes their slots exactly as it
 * excludes configured `maintenance:` windows.
 */
export async function readDeclaredMaintenance(
  db: Db,
  config: Pick<VigilConfig, 'providers'>,
  range: TimeWindow,
  now: EpochMs,
): Promise<Maintenance[]> {
  const providers = statusPageProviders(config).filter(
    (p) => providerOf(config, p).statusPage?.excludeDeclaredMaintenance === true,
  );
  if (providers.length === 0) return [];
  const rows = await declarationsBetween(db, {
    providers,
    from: new Date(range.from),
    to: new Date(Math.max(range.to, now + 1)),
  });
  const relevant = rows.filter((r) =>
    mattersTo(r.components, providerOf(config, r.provider).statusPage?.components),
  );
  return declaredMaintenanceWindows(relevant, range, now).map((w) => ({
    id: `declared:${w.id}`,
    window: { type: 'once', from: w.from, to: w.to },
    applies: (spec) => spec.provider === w.provider,
  }));
}

/** A stored declaration with when Vigil saw it start and end, for reports and the API's history. */
export interface DeclarationRecord extends DeclaredItem {
  provider: string;
  /** `incident:<id>` or `maintenance:<id>` */
  key: string;
  firstSeenAt: EpochMs;
  endedSeenAt: EpochMs | null;
}

/**
 * The declarations of providers with a status page that stood at some point of `range` (the components
 * that matter only), oldest first: what reports set beside our incidents (declared vs undeclared
 * downtime, how long after our detection the provider declared).
 */
export async function readDeclarationHistory(
  db: Db,
  config: Pick<VigilConfig, 'providers'>,
  range: TimeWindow,
): Promise<DeclarationRecord[]> {
  const providers = statusPageProviders(config);
  if (providers.length === 0) return [];
  const rows = await declarationsBetween(db, {
    providers,
    from: new Date(range.from),
    to: new Date(range.to),
  });
  return rows
    .filter((r) => mattersTo(r.components, providerOf(config, r.provider).statusPage?.components))
    .map((r) => ({
      ...declaredItem(r),
      provider: r.provider,
      key: `${r.kind}:${r.externalId}`,
      firstSeenAt: r.firstSeenAt.getTime(),
      endedSeenAt: r.endedSeenAt?.getTime() ?? null,
    }));
}

/** How an incident of ours relates to what its provider declared. */
export interface IncidentCorrelation {
  /** the provider declared an incident overlapping ours */
  declared: boolean;
  /** ms from our incident's start to the provider's declared start (negative: it declared first); null when undeclared */
  declaredAfterMs: number | null;
  /** the provider's incidents overlapping ours, by when they started */
  declarations: DeclarationRecord[];
}

/**
 * Whether the provider declared our incident: its incidents (not maintenance) overlapping [openedAt,
 * resolvedAt ?? now), and how long after our start it declared the first of them. Pure.
 */
export function correlateIncident(
  incident: { provider: string | null; openedAt: EpochMs; resolvedAt: EpochMs | null },
  history: readonly DeclarationRecord[],
  now: EpochMs,
): IncidentCorrelation {
  const end = incident.resolvedAt ?? now;
  const overlapping = history
    .filter(
      (d) =>
        d.provider === incident.provider &&
        d.kind === 'incident' &&
        d.since < end &&
        (d.endedAt ?? d.endedSeenAt ?? now) > incident.openedAt,
    )
    .sort((a, b) => a.since - b.since);
  const first = overlapping[0];
  return {
    declared: first !== undefined,
    declaredAfterMs: first ? first.since - incident.openedAt : null,
    declarations: overlapping,
  };
}
