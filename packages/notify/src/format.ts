import type { AlertEvent, DeclaredItem, ProviderDeclaration } from './types.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const KIND_LABEL: Record<AlertEvent['kind'], string> = {
  down: 'DOWN',
  degraded: 'DEGRADED',
  slo_burn: 'SLO BURN',
  monitor: 'MONITOR DEGRADED',
};

/** `45s`, `42m`, `2h 5m`, `3d 4h`: the two most significant units. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return h > 0 ? `${d}d ${h}h` : `${d}d`;
  if (h > 0) return m > 0 ? `${h}h ${m}m` : `${h}h`;
  if (m > 0) return `${m}m`;
  return `${s % 60}s`;
}

/** Floors to two decimals so a figure below target is never shown as meeting it (97.999 → 97.99%). */
export function formatAvailability(fraction: number): string {
  return `${(Math.floor(fraction * 10_000 + 1e-6) / 100).toFixed(2)}%`;
}

/** A target or share without trailing zeros: 0.98 → `98%`, 0.995 → `99.5%`. */
export function formatPercent(fraction: number): string {
  return `${Number((fraction * 100).toFixed(3))}%`;
}

/** `14:02 UTC`, with the date when `at` is not on the same UTC day as `ref`. */
export function formatTime(at: number, ref: number): string {
  const d = new Date(at);
  const hm = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
  if (new Date(ref).toISOString().slice(0, 10) === d.toISOString().slice(0, 10)) return hm;
  const year = d.getUTCFullYear() === new Date(ref).getUTCFullYear() ? '' : ` ${d.getUTCFullYear()}`;
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}${year} ${hm}`;
}

export function durationOf(e: AlertEvent): number {
  return e.durationMs ?? e.at - e.since;
}

/** `DOWN`, `RESOLVED`, `STILL DOWN`, `FLAPPING`, `SETTLED`. */
export function label(e: AlertEvent): string {
  switch (e.event) {
    case 'opened':
      return KIND_LABEL[e.kind];
    case 'reminder':
      return `STILL ${KIND_LABEL[e.kind]}`;
    case 'resolved':
      return 'RESOLVED';
    case 'flapping':
      return 'FLAPPING';
    case 'settled':
      return 'SETTLED';
    case 'declaration':
      return e.declarationChange?.change === 'ended' ? 'PROVIDER DECLARATION ENDED' : 'PROVIDER DECLARES';
  }
}

/** `(payments/stripe)` or `(payments)`, empty when neither is known. */
export function where(e: AlertEvent): string {
  const parts = [e.service, e.provider].filter((p): p is string => p !== null && p !== '');
  return parts.length > 0 ? `(${parts.join('/')})` : '';
}

/** What an alert whose failure is ours to fix says first: our credentials, not the provider, are the cause. */
export const CHECK_CREDENTIALS = 'credentials rejected, check the credentials';

/**
 * `since 14:02 UTC`, `for 2h`, `after 42m`: the time part of a headline; an open alert of class `auth`
 * starts with {@link CHECK_CREDENTIALS}.
 */
export function when(e: AlertEvent): string {
  const open = e.event === 'opened' || e.event === 'reminder';
  const t = timePart(e);
  return open && e.errorClass === 'auth' ? `${CHECK_CREDENTIALS}, ${t}` : t;
}

function timePart(e: AlertEvent): string {
  switch (e.event) {
    case 'opened':
      return `since ${formatTime(e.since, e.at)}`;
    case 'reminder':
      return `for ${formatDuration(durationOf(e))}, since ${formatTime(e.since, e.at)}`;
    case 'resolved':
      return `after ${formatDuration(durationOf(e))}`;
    case 'flapping':
      return 'alerts held while it flaps';
    case 'settled':
      return `stable again, since ${formatTime(e.since, e.at)}`;
    case 'declaration':
      return `during our incident since ${formatTime(e.since, e.at)}`;
  }
}

/** One line, no control characters: fit for a mail subject, a log line or a Slack fallback. */
export function headline(e: AlertEvent): string {
  return oneLine([`[${label(e)}]`, e.title, where(e), '—', when(e)].filter(Boolean).join(' '));
}

export interface Fact {
  label: string;
  value: string;
}

/** The facts every channel shows, in order; absent figures are left out rather than shown as blanks. */
export function facts(e: AlertEvent): Fact[] {
  const out: Fact[] = [{ label: 'Severity', value: e.severity }];
  if (e.service) out.push({ label: 'Service', value: e.service });
  if (e.provider) out.push({ label: 'Provider', value: e.provider });
  if (e.probeName || e.probeId)
    out.push({
      label: 'Probe',
      value: e.probeName && e.probeId ? `${e.probeName} (${e.probeId})` : (e.probeName ?? e.probeId ?? ''),
    });
  if (e.failingRegions.length > 0 && e.event !== 'resolved')
    out.push({ label: 'Failing regions', value: e.failingRegions.join(', ') });
  out.push({ label: 'Since', value: since(e) });
  if (e.event === 'resolved' || e.event === 'reminder')
    out.push({
      label: e.event === 'resolved' ? 'Duration' : 'Open for',
      value: formatDuration(durationOf(e)),
    });
  if (e.errorClass) out.push({ label: 'Error class', value: e.errorClass });
  out.push({ label: 'Availability', value: availability(e) });
  if (e.budgetLeft !== null) out.push({ label: 'Error budget left', value: budget(e.budgetLeft) });
  else if (e.dataMs30d !== undefined)
    out.push({ label: 'Error budget left', value: notAvailable(e.dataMs30d) });
  if (e.failover)
    out.push({
      label: 'Failover',
      value: `${e.failover.provider} ${e.failover.healthy ? 'healthy' : 'NOT healthy'}`,
    });
  if (e.acknowledgedBy) out.push({ label: 'Acknowledged by', value: oneLine(e.acknowledgedBy) });
  if (e.declarationChange)
    out.push({
      label: e.declarationChange.change === 'ended' ? 'Provider ended' : 'Provider declared',
      value: oneLine(declaredItem(e.declarationChange.item, e.at)),
    });
  if (e.declaration)
    out.push({ label: 'Provider status', value: oneLine(declarationText(e.declaration, e.at)) });
  return out;
}

/** `Elevated API error rates — major, since 10:04 UTC, last update 10:12 UTC` */
export function declaredItem(i: DeclaredItem, ref: number): string {
  const parts = [`${i.title} — ${i.impact}`, `since ${formatTime(i.since, ref)}`];
  if (i.endedAt !== null) parts.push(`ended ${formatTime(i.endedAt, ref)}`);
  else if (i.lastUpdateAt !== null && i.lastUpdateAt > i.since)
    parts.push(`last update ${formatTime(i.lastUpdateAt, ref)}`);
  return parts.join(', ');
}

/**
 * `Stripe declares: Elevated API error rates — major, since 10:04 UTC, last update 10:12 UTC`, or
 * `Stripe declares nothing (status page read 10:13 UTC)`: the provider's word beside our measurement.
 */
export function declarationText(d: ProviderDeclaration, ref: number): string {
  const stale = d.stale ? ' (its status page could not be read lately)' : '';
  if (d.checkedAt === null && d.items.length === 0) return `${d.provider}'s status page not read yet${stale}`;
  if (d.items.length === 0)
    return `${d.provider} declares nothing (status page read ${formatTime(d.checkedAt ?? ref, ref)})${stale}`;
  return `${d.provider} declares: ${d.items.map((i) => declaredItem(i, ref)).join('; ')}${stale}`;
}

/** `14:02 UTC`, and on the opening alert `14:02 UTC (detected after 30s)` when the delay is known. */
function since(e: AlertEvent): string {
  const t = formatTime(e.since, e.at);
  const d = e.detectedAt;
  return e.event === 'opened' && typeof d === 'number' && d > e.since
    ? `${t} (detected after ${formatDuration(d - e.since)})`
    : t;
}

/** A figure the window has too little data for: `n/a — 2m of data`. */
function notAvailable(dataMs: number): string {
  return dataMs > 0 ? `n/a — ${formatDuration(dataMs)} of data` : 'n/a — no data yet';
}

function availability(e: AlertEvent): string {
  const part = (name: string, v: number | null, dataMs: number | undefined) =>
    v === null
      ? dataMs === undefined
        ? null
        : `${name} ${notAvailable(dataMs)}`
      : `${name} ${formatAvailability(v)}${v < e.target ? ' ▼' : ''}`;
  const parts = [
    part('24 h', e.availability24h, e.dataMs24h),
    part('30 d', e.availability30d, e.dataMs30d),
  ].filter(Boolean);
  return [...parts, `target ${formatPercent(e.target)}`].join(' · ');
}

function budget(left: number): string {
  return left <= 0 ? `exhausted (${formatPercent(left)})` : formatPercent(Number(left.toFixed(4)));
}

/** Only http(s) links are rendered, so a YAML `javascript:` runbook cannot become a live link. */
export function safeUrl(url: string | null): string | null {
  if (url === null) return null;
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.toString() : null;
  } catch {
    return null;
  }
}

export interface AlertLink {
  /** `Runbook`, `Incident`, `Status` */
  text: string;
  /** a label fit for a button: `Runbook`, `Open incident`, `Status page` */
  button: string;
  url: string;
}

/**
 * The links every channel shows, in order, http(s) only: the runbook, the incident's dashboard page and
 * the status page (both from vigil.yaml `api.publicUrl`; absent without it, and in payloads stored before
 * the field existed).
 */
export function alertLinks(e: AlertEvent): AlertLink[] {
  const links: [string, string, string | null][] = [
    ['Runbook', 'Runbook', safeUrl(e.runbook)],
    ['Incident', 'Open incident', safeUrl(e.incidentUrl ?? null)],
    ['Status', 'Status page', safeUrl(e.statusUrl ?? null)],
    [
      'Provider page',
      'Provider status page',
      safeUrl(
        e.declarationChange?.item.url ?? e.declaration?.items[0]?.url ?? e.declaration?.pageUrl ?? null,
      ),
    ],
  ];
  return links.filter((l) => l[2] !== null).map(([text, button, url]) => ({ text, button, url: url! }));
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f\u2028\u2029]+/g;

export function oneLine(text: string): string {
  return text.replace(CONTROL, ' ').replace(/ {2,}/g, ' ').trim();
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** The plain-text body shared by email, file and log channels. */
export function textBody(e: AlertEvent): string {
  const lines = [headline(e), '', ...facts(e).map((f) => `${f.label}: ${f.value}`)];
  if (e.lastError) lines.push('', `Last error: ${truncate(oneLine(e.lastError), 1000)}`);
  const links = alertLinks(e);
  if (links.length > 0) lines.push('');
  for (const l of links) lines.push(`${l.text}: ${l.url}`);
  lines.push('', `Incident ${oneLine(e.incidentId)} · event ${e.event} at ${new Date(e.at).toISOString()}`);
  return `${lines.join('\n')}\n`;
}
