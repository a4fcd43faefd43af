import type { ProviderStatusPageConfig } from '@vigil/config';
import type { EpochMs, TimeWindow } from '@vigil/core';
import type { DeclarationRow, DeclaredComponent, StatusPagePoll } from '@vigil/db';
import type { DeclaredItem, ProviderDeclaration } from '@vigil/notify';

/** What a provider declares now, as `vigil status`, the API and alerts show it beside our own view. */
export interface DeclarationView extends ProviderDeclaration {
  /** the provider's slug */
  key: string;
  /** the page's overall indicator (`none`, `minor`, `major`, `critical`, `maintenance`); null before a good poll */
  indicator: string | null;
  description: string | null;
  /** the components that matter (`statusPage.components`, else all) that are not operational */
  components: DeclaredComponent[];
  /** announced maintenance not started yet */
  upcoming: DeclaredItem[];
  /** the last poll's error while it stands (a later good poll clears it) */
  lastError: string | null;
}

const COMPONENT_IMPACT: Record<string, string> = {
  degraded_performance: 'minor',
  partial_outage: 'major',
  major_outage: 'critical',
  under_maintenance: 'maintenance',
};

const ms = (d: Date | null): number | null => (d === null ? null : d.getTime());

/** Whether a declaration touches the components that matter (one naming no components always does). */
export function mattersTo(components: readonly string[], filter: readonly string[] | undefined): boolean {
  if (filter === undefined || components.length === 0) return true;
  const want = new Set(filter.map((c) => c.toLowerCase()));
  return components.some((c) => want.has(c.toLowerCase()));
}

/** A stored declaration as an alert shows it. */
export function declaredItem(r: DeclarationRow): DeclaredItem {
  return {
    kind: r.kind,
    title: r.title,
    impact: r.impact,
    status: r.status,
    since: r.startedAt.getTime(),
    lastUpdateAt: ms(r.lastUpdateAt),
    endedAt: r.endedSeenAt === null ? null : (ms(r.resolvedAt) ?? r.endedSeenAt.getTime()),
    url: r.url,
  };
}

/** A maintenance in progress at `now`: the page says so, or `now` is inside its scheduled window. */
function inProgress(r: DeclarationRow, now: EpochMs): boolean {
  if (r.endedSeenAt !== null && r.endedSeenAt.getTime() <= now) return false;
  if (r.status === 'in_progress' || r.status === 'verifying') return true;
  return r.startedAt.getTime() <= now && (r.scheduledUntil === null || now < r.scheduledUntil.getTime());
}

/**
 * The view of one provider's page from its poll row and stored declarations. Pure. `rows` may hold
 * ended declarations; only those standing at `now` are shown.
 */
export function declarationView(
  key: string,
  name: string,
  cfg: Pick<ProviderStatusPageConfig, 'components'>,
  poll: StatusPagePoll | undefined,
  rows: readonly DeclarationRow[],
  now: EpochMs,
): DeclarationView {
  const mine = rows.filter((r) => r.provider === key && mattersTo(r.components, cfg.components));
  const standing = mine.filter((r) => r.endedSeenAt === null || r.endedSeenAt.getTime() > now);
  const incidents = standing.filter((r) => r.kind === 'incident').map(declaredItem);
  const maint = standing.filter((r) => r.kind === 'maintenance');
  const running = maint.filter((r) => inProgress(r, now)).map(declaredItem);
  const upcoming = maint.filter((r) => r.startedAt.getTime() > now && !inProgress(r, now)).map(declaredItem);
  const components = (poll?.components ?? []).filter(
    (c) => c.status !== 'operational' && mattersTo([c.name], cfg.components),
  );
  const items = [...incidents, ...running];
  // a component's status alone is told only when no incident or maintenance explains it
  if (items.length === 0)
    for (const c of components)
      items.push({
        kind: 'component',
        title: `${c.name}: ${c.status.replaceAll('_', ' ')}`,
        impact: COMPONENT_IMPACT[c.status] ?? 'minor',
        status: c.status,
        since: ms(poll?.lastOkAt ?? null) ?? now,
        lastUpdateAt: null,
        endedAt: null,
        url: null,
      });
  const stale =
    poll?.lastErrorAt != null &&
    (poll.lastOkAt === null || poll.lastErrorAt.getTime() > poll.lastOkAt.getTime());
  return {
    key,
    provider: name,
    items,
    checkedAt: ms(poll?.lastOkAt ?? null),
    stale,
    pageUrl: poll?.pageUrl ?? null,
    indicator: poll?.indicator ?? null,
    description: poll?.description ?? null,
    components,
    upcoming,
    lastError: stale ? (poll?.lastError ?? null) : null,
  };
}

/** The alert's part of a view (what an AlertEvent carries). */
export function alertDeclaration(v: DeclarationView): ProviderDeclaration {
  return { provider: v.provider, items: v.items, checkedAt: v.checkedAt, stale: v.stale, pageUrl: v.pageUrl };
}

/**
 * The declared maintenance windows of a provider that overlap `range`: from its (scheduled) start — or
 * from when Vigil first saw it, if it was declared after it began: a maintenance declared after the
 * fact does not wipe downtime already recorded, and a recompute judges slots as the evaluator did — to
 * when it ended (the provider's completion, else when it left the page), else its scheduled end, else
 * `now` while it is in progress. Pure.
 */
export function declaredMaintenanceWindows(
  rows: readonly DeclarationRow[],
  range: TimeWindow,
  now: EpochMs,
): { provider: string; id: string; from: EpochMs; to: EpochMs }[] {
  const out: { provider: string; id: string; from: EpochMs; to: EpochMs }[] = [];
  for (const r of rows) {
    if (r.kind !== 'maintenance') continue;
    const from = Math.max(r.startedAt.getTime(), r.firstSeenAt.getTime());
    const ended = ms(r.resolvedAt) ?? ms(r.endedSeenAt);
    const scheduled = ms(r.scheduledUntil);
    const to = ended ?? (inProgress(r, now) ? Math.max(now + 1, scheduled ?? 0) : (scheduled ?? from));
    if (to > from && from < range.to && to > range.from)
      out.push({ provider: r.provider, id: `${r.provider}:${r.externalId}`, from, to });
  }
  return out;
}
