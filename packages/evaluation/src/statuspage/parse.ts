import type { ProviderStatusPageConfig, StatusMappingConfig } from '@vigil/config';
import type { DeclarationUpdate, DeclaredComponent, SeenDeclaration, StatusSnapshot } from '@vigil/db';

/** The page answered JSON that is not the shape its format says; the last good declarations stand. */
export class StatusPageFormatError extends Error {
  readonly code = 'STATUSPAGE_FORMAT';
  override readonly name = 'StatusPageFormatError';
}

export const IMPACTS = ['none', 'minor', 'major', 'critical', 'maintenance'] as const;
export type Impact = (typeof IMPACTS)[number];
export const COMPONENT_STATUSES = [
  'operational',
  'degraded_performance',
  'partial_outage',
  'major_outage',
  'under_maintenance',
] as const;

const ENDED = new Set(['resolved', 'postmortem', 'completed']);
const MAX_UPDATES = 20;
const MAX_TEXT = 1000;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null;
const cap = (s: string, n = MAX_TEXT) => (s.length <= n ? s : `${s.slice(0, n - 1)}…`);

/** An ISO date-time, or epoch seconds / milliseconds; null when it is neither. */
export function parseInstant(v: unknown): Date | null {
  if (typeof v === 'number' && Number.isFinite(v)) return new Date(v < 1e11 ? v * 1000 : v);
  if (typeof v !== 'string' || v === '') return null;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? null : new Date(ms);
}

/** A status page's JSON (already parsed) as a snapshot of what it declares. Pure. */
export function parseStatusPage(
  doc: unknown,
  cfg: Pick<ProviderStatusPageConfig, 'format' | 'mapping'>,
  now: Date,
): StatusSnapshot {
  return cfg.format === 'json' && cfg.mapping
    ? parseMapped(doc, cfg.mapping, now)
    : parseStatuspageSummary(doc, now);
}

/**
 * Atlassian Statuspage's `/api/v2/summary.json`: `status`, `components`, unresolved `incidents` (with
 * `incident_updates`) and upcoming or running `scheduled_maintenances`. Group components (`group: true`)
 * are left out: their members carry the status.
 */
export function parseStatuspageSummary(doc: unknown, now: Date): StatusSnapshot {
  if (!isObj(doc) || !(isObj(doc.status) || Array.isArray(doc.incidents) || Array.isArray(doc.components)))
    throw new StatusPageFormatError(
      'expected a Statuspage summary (an object with status, components, incidents, scheduled_maintenances)',
    );
  const status = isObj(doc.status) ? doc.status : {};
  const page = isObj(doc.page) ? doc.page : {};
  const components: DeclaredComponent[] = [];
  for (const c of list(doc.components)) {
    if (!isObj(c) || c.group === true) continue;
    const name = str(c.name);
    const st = str(c.status);
    if (name !== null && st !== null) components.push({ name: cap(name, 200), status: st });
  }
  const declarations: SeenDeclaration[] = [];
  for (const i of list(doc.incidents)) {
    const d = statuspageItem(i, 'incident', now);
    if (d) declarations.push(d);
  }
  for (const m of list(doc.scheduled_maintenances)) {
    const d = statuspageItem(m, 'maintenance', now);
    if (d) declarations.push(d);
  }
  return {
    indicator: impactOf(status.indicator),
    description: str(status.description),
    pageUrl: str(page.url),
    components,
    declarations,
  };
}

function statuspageItem(v: unknown, kind: SeenDeclaration['kind'], now: Date): SeenDeclaration | null {
  if (!isObj(v)) return null;
  const id = str(v.id);
  const title = str(v.name);
  if (id === null || title === null) return null;
  const status = str(v.status) ?? (kind === 'incident' ? 'investigating' : 'scheduled');
  const updates: DeclarationUpdate[] = [];
  for (const u of list(v.incident_updates)) {
    if (!isObj(u)) continue;
    const at = parseInstant(u.display_at) ?? parseInstant(u.created_at);
    if (at === null) continue;
    updates.push({ at: at.toISOString(), status: str(u.status) ?? status, body: cap(str(u.body) ?? '') });
  }
  updates.sort((a, b) => b.at.localeCompare(a.at));
  const startedAt =
    (kind === 'maintenance' ? parseInstant(v.scheduled_for) : null) ??
    parseInstant(v.started_at) ??
    parseInstant(v.created_at) ??
    now;
  return {
    kind,
    externalId: cap(id, 200),
    title: cap(title, 300),
    impact: kind === 'maintenance' ? 'maintenance' : (impactOf(v.impact) ?? 'minor'),
    status,
    components: list(v.components)
      .map((c) => (isObj(c) ? str(c.name) : str(c)))
      .filter((n): n is string => n !== null),
    url: str(v.shortlink),
    startedAt,
    scheduledUntil: kind === 'maintenance' ? parseInstant(v.scheduled_until) : null,
    resolvedAt: parseInstant(v.resolved_at),
    lastUpdateAt: updates[0] ? new Date(updates[0].at) : (parseInstant(v.updated_at) ?? null),
    updates: updates.slice(0, MAX_UPDATES),
    ended: ENDED.has(status),
  };
}

function impactOf(v: unknown): Impact | null {
  const s = str(v);
  return s !== null && (IMPACTS as readonly string[]).includes(s) ? (s as Impact) : null;
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** `$`, `$.a.b`, `$.a[0]`, `$['a b']` (the mapping's path subset) read from `doc`; undefined when absent. */
export function readPath(doc: unknown, path: string): unknown {
  let cur: unknown = doc;
  const re = /\.([A-Za-z_][A-Za-z0-9_-]*)|\[(\d+)\]|\['([^']+)'\]/g;
  for (const m of path.slice(1).matchAll(re)) {
    const key = m[1] ?? m[3];
    if (key !== undefined) cur = isObj(cur) ? cur[key] : undefined;
    else cur = Array.isArray(cur) ? cur[Number(m[2])] : undefined;
    if (cur === undefined) return undefined;
  }
  return cur;
}

/** `format: json`: the document read through the configured paths, its words mapped through `values`. */
export function parseMapped(doc: unknown, m: StatusMappingConfig, now: Date): StatusSnapshot {
  if (!isObj(doc) && !Array.isArray(doc)) throw new StatusPageFormatError('expected a JSON object or array');
  const word = (v: unknown): string | null => {
    const s = str(v);
    return s === null ? null : (m.values[s] ?? s);
  };
  const components: DeclaredComponent[] = [];
  if (m.components) {
    const items = readPath(doc, m.components.list);
    if (!Array.isArray(items))
      throw new StatusPageFormatError(`expected a list at ${m.components.list} (mapping.components.list)`);
    for (const c of items) {
      const name = str(readPath(c, m.components.name));
      const st = word(readPath(c, m.components.status));
      if (name !== null && st !== null) components.push({ name: cap(name, 200), status: st });
    }
  }
  const declarations: SeenDeclaration[] = [];
  if (m.incidents) {
    const f = m.incidents;
    const items = readPath(doc, f.list);
    if (!Array.isArray(items))
      throw new StatusPageFormatError(`expected a list at ${f.list} (mapping.incidents.list)`);
    for (const i of items) {
      const id = str(readPath(i, f.id));
      const title = str(readPath(i, f.title));
      if (id === null || title === null) continue;
      const status = (f.status && word(readPath(i, f.status))) || 'investigating';
      const resolvedAt = f.resolvedAt ? parseInstant(readPath(i, f.resolvedAt)) : null;
      const impact = f.impact ? impactOf(word(readPath(i, f.impact))) : null;
      const comps = f.components ? readPath(i, f.components) : undefined;
      declarations.push({
        kind: impact === 'maintenance' ? 'maintenance' : 'incident',
        externalId: cap(id, 200),
        title: cap(title, 300),
        impact: impact ?? 'minor',
        status,
        components: list(comps)
          .map((c) => (isObj(c) ? str(c.name) : str(c)))
          .filter((n): n is string => n !== null),
        url: f.url ? str(readPath(i, f.url)) : null,
        startedAt: (f.startedAt ? parseInstant(readPath(i, f.startedAt)) : null) ?? now,
        scheduledUntil: null,
        resolvedAt,
        lastUpdateAt: f.updatedAt ? parseInstant(readPath(i, f.updatedAt)) : null,
        updates: [],
        ended: ENDED.has(status) || resolvedAt !== null,
      });
    }
  }
  return {
    indicator: m.indicator ? impactOf(word(readPath(doc, m.indicator))) : null,
    description: m.description ? str(readPath(doc, m.description)) : null,
    pageUrl: null,
    components,
    declarations,
  };
}
