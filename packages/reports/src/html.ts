import { NOTICE_LINES, noticeText } from './notices.js';
import { periodLabel } from './calendar.js';
import {
  arrow,
  availabilityShort,
  dateTime,
  duration,
  ms,
  pct,
  rate,
  shortDateTime,
  statusLabel,
  targetPct,
} from './format.js';
import {
  esc,
  FONT,
  LINE,
  MUTED,
  PHASE_COLORS,
  STATUS_COLOR,
  stackedBar,
  strip,
  stripCells,
  tag,
} from './html-parts.js';
import { exposureDuration, redundancySentences } from './redundancy.js';
import { budgetWindowText } from './rate-limits.js';
import { slaTermsText, slaVerdictText } from './sla.js';
import { reportSubject } from './subject.js';
import { trendKeys, trendPointText } from './trend.js';
import {
  clip,
  EMAIL_LIMITS,
  FULL_LIMITS,
  incidentText,
  REASON,
  summarize,
  type ReportSummary,
  type SummaryLimits,
} from './summary.js';
import type { AvailabilityStatus } from '@vigil/core';
import type { EntityReport, ReportModel, SlaStatus } from './types.js';

export interface RenderedHtml {
  html: string;
  /** images referenced as `cid:`; empty: every chart is table cells */
  inlineImages: { cid: string; png: Buffer }[];
}

export interface RenderHtmlOptions {
  /**
   * `email` (default): the summary, capped by construction to stay under 100 KB whatever the fleet;
   * `full`: every service, provider, API and incident (the web version, which has no size limit).
   */
  detail?: 'email' | 'full';
}

/** The email is at most 600 px wide and shrinks with the screen (Outlook desktop keeps the 600). */
const WIDTH = 600;
const TABLE = `role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0"`;
/** A data table: padding from cellpadding, the font size inherited, rows told apart by `ZEBRA` (few bytes per cell). */
const GRID = `role="presentation" width="100%" cellpadding="4" cellspacing="0" border="0" style="table-layout:fixed;font-size:12px;overflow-wrap:anywhere;"`;
const ZEBRA = ` bgcolor="#f6f7f9"`;
const TH = `style="font-size:10px;font-weight:600;color:${MUTED};text-align:left;overflow-wrap:normal;"`;
const small = (t: string) => `<span style="font-size:10px;color:${MUTED};">${t}</span>`;
/** status as coloured bold text (a badge's background costs 100 bytes a cell) */
const verdict = (st: AvailabilityStatus) => `<b style="color:${STATUS_COLOR[st]};">${statusLabel(st)}</b>`;

/** Everything a section needs: the model, what the email shows of it, and how long names may be. */
export interface HtmlContext {
  m: ReportModel;
  s: ReportSummary;
  name(n: string): string;
}

/** The sections in order; each returns table rows (`<tr>…</tr>`) of the 600 px body, or ''. */
const SECTIONS: ((c: HtmlContext) => string)[] = [
  header,
  headline,
  servicesSection,
  columnsSection,
  quartersSection,
  redundancySection,
  slaSection,
  statusPagesSection,
  rateLimitsSection,
  noticesSection,
  attentionSection,
  slowestSection,
  incidentsSection,
  restSection,
  footer,
];

/** The email body: tables, inline styles and bgcolor only; no scripts, no external images. */
export function renderHtml(m: ReportModel, o: RenderHtmlOptions = {}): RenderedHtml {
  if (o.detail === 'full') return { html: htmlOf(m, FULL_LIMITS), inlineImages: [] };
  // the provider status pages and rate limits give up their rows, then their sections, before the
  // email outgrows its cap: everything else is capped by construction, these take what room is left
  let html = '';
  for (const rows of [EMAIL_LIMITS.statusPages, 3, 1, 0]) {
    html = htmlOf(m, { ...EMAIL_LIMITS, statusPages: rows, rateLimits: rows });
    if (Buffer.byteLength(html) <= EMAIL_HTML_BYTES) break;
  }
  return { html, inlineImages: [] };
}

/** The HTML part's cap: Gmail clips a body past ~102 KB. */
export const EMAIL_HTML_BYTES = 100_000;

function htmlOf(m: ReportModel, limits: SummaryLimits): string {
  const s = summarize(m, limits);
  const c: HtmlContext = { m, s, name: (n) => htmlName(n, s.limits.nameChars) };
  const body = SECTIONS.map((f) => f(c))
    .filter(Boolean)
    .map(ascii)
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${ascii(esc(reportSubject(m)))}</title></head>
<body style="margin:0;padding:0;background:#f3f4f6;">
<table ${TABLE} bgcolor="#f3f4f6"><tr><td align="center" style="padding:16px 6px;">
<table role="presentation" width="${WIDTH}" cellpadding="0" cellspacing="0" border="0" bgcolor="#ffffff" style="width:100%;max-width:${WIDTH}px;border:1px solid ${LINE};${FONT}color:#111827;">
${body}
</table>
</td></tr></table>
</body></html>
`;
}

/**
 * A name escaped, cut to `maxChars` and to at most 2 bytes a character once escaped and made ASCII (`€` is
 * `&#8364;`, 7 bytes): a name's bytes are bounded whatever it is made of.
 */
function htmlName(n: string, maxChars: number): string {
  let chars = Math.min(maxChars, n.length);
  let out = esc(clip(n, chars));
  while (Number.isFinite(maxChars) && chars > 1 && ascii(out).length > 2 * maxChars) {
    chars = Math.max(1, Math.floor(chars * 0.75));
    out = esc(clip(n, chars));
  }
  return out;
}

/** Non-ASCII as character references: the email is 7-bit clean and the big string stays one byte per char. */
function ascii(html: string): string {
  return html.replace(/[^\p{ASCII}]/gu, (c) => `&#${c.codePointAt(0)};`);
}

function row(inner: string, padding = '18px 16px 4px'): string {
  return `<tr><td style="padding:${padding};">${inner}</td></tr>`;
}

function title(text: string, note = ''): string {
  return `<div style="font-size:15px;font-weight:600;">${text}</div>${note ? `<div style="font-size:11px;color:${MUTED};padding:2px 0 6px;">${note}</div>` : ''}`;
}

function header({ m }: HtmlContext): string {
  return `<tr><td bgcolor="#111827" style="padding:20px 16px;color:#ffffff;">
<div style="font-size:11px;letter-spacing:.1em;text-transform:uppercase;color:#9ca3af;">Vigil &middot; ${esc(m.kind)} uptime report</div>
<div style="font-size:22px;font-weight:600;padding-top:4px;">${esc(periodLabel(m.period))}</div>
<div style="font-size:12px;color:#9ca3af;padding-top:2px;">Times in ${esc(m.tz)} &middot; compared with ${esc(m.previous.key)}</div>${
    m.webUrl
      ? `
<div style="font-size:12px;padding-top:8px;"><a href="${esc(m.webUrl)}" style="color:#93c5fd;">View this report in a browser</a></div>`
      : ''
  }
</td></tr>`;
}

function tile(label: string, value: string, note: string, color = '#111827'): string {
  return `<td width="33%" valign="top" style="padding:10px 8px;border:1px solid ${LINE};">
<div style="font-size:10px;color:${MUTED};text-transform:uppercase;">${esc(label)}</div>
<div style="font-size:18px;font-weight:600;color:${color};padding-top:3px;">${esc(value)}</div>
<div style="font-size:11px;color:${MUTED};padding-top:2px;">${esc(note)}</div></td>`;
}

function headline({ m, s }: HtmlContext): string {
  const h = m.headline;
  const target = h.commonTarget === null ? 'their targets' : `met ${targetPct(h.commonTarget)}`;
  const extra = [
    h.missed ? `${h.missed} missed` : '',
    h.insufficient ? `${h.insufficient} insufficient data` : '',
  ]
    .filter(Boolean)
    .join(', ');
  const servicesMet = m.services.filter((x) => x.current.status === 'met').length;
  const servicesMissed = m.services.filter((x) => x.current.status === 'missed').length;
  const first = [
    tile(
      'APIs on target',
      `${h.met} of ${h.apis}`,
      extra ? `${target}; ${extra}` : target,
      h.missed > 0 ? STATUS_COLOR.missed : STATUS_COLOR.met,
    ),
    tile('Availability', h.availability === null ? 'n/a' : pct(h.availability), overallNote(m)),
    tile('Downtime', duration(h.downtimeMs), 'summed over APIs'),
  ];
  const second = [
    tile(
      'Incidents',
      String(s.problems),
      s.problems === h.incidents
        ? 'opened or still open'
        : `problems; ${h.incidents} incidents with grouped ones`,
    ),
    tile(
      'Budget left',
      h.quarterBudgetLeft === null ? 'n/a' : rate(h.quarterBudgetLeft, 1),
      h.budgetExhausted ? `this quarter; ${h.budgetExhausted} exhausted` : 'this quarter, mean',
      h.budgetExhausted ? STATUS_COLOR.missed : '#111827',
    ),
    tile(
      'Services on target',
      `${servicesMet} of ${m.services.length}`,
      servicesMissed ? `${servicesMissed} missed` : 'services and their providers',
      servicesMissed ? STATUS_COLOR.missed : STATUS_COLOR.met,
    ),
  ];
  return row(
    `<table ${TABLE} style="border-collapse:collapse;table-layout:fixed;"><tr>${first.join('')}</tr><tr>${second.join('')}</tr></table>`,
    '16px 16px 6px',
  );
}

function availabilityCell(e: EntityReport, commonTarget: number | null): string {
  const c = e.current;
  const target = c.target === commonTarget ? '' : ` ${small(`of ${targetPct(c.target)}`)}`;
  if (c.status === 'insufficient_data')
    return `${verdict(c.status)}<br>${small(`${rate(c.coverage, 0)} coverage`)}${target}`;
  return `${pct(c.availability)}<br>${verdict(c.status)}${target}`;
}

function downtimeCell(e: EntityReport): string {
  const i = e.current.incidents;
  const inc =
    i.count === 0
      ? ''
      : `<br>${small(`${i.count} incident${i.count === 1 ? '' : 's'}${i.ongoing ? `, ${i.ongoing} open` : ''}`)}`;
  return `${duration(e.current.downMs)}${inc}`;
}

function changeCell(e: EntityReport): string {
  const d = e.change.availabilityPp;
  const color = d === null || Math.abs(d) < 0.0005 ? MUTED : d > 0 ? STATUS_COLOR.met : STATUS_COLOR.missed;
  return `<span style="color:${color};">${esc(arrow(d, ' pp'))}</span><br>${small(`was ${availabilityShort(e.previous)}`)}`;
}

/** Every service (while they fit) with its daily strip, and its providers beneath it. */
function servicesSection({ m, s, name }: HtmlContext): string {
  if (s.services.length === 0) return '';
  const target = m.headline.commonTarget;
  let cellsLeft = s.limits.stripCells;
  const rows = s.services
    .map(({ service: sv, providers, hiddenProviders }) => {
      const mode = sv.mode === 'any' ? 'failover' : 'needs every provider';
      const cells = stripCells(sv.days, m.days.length > 7);
      const showStrip = cells <= cellsLeft;
      if (showStrip) cellsLeft -= cells;
      const head = `<tr valign="top"${ZEBRA}><td><b>${name(sv.name)}</b>${sv.critical ? ' ' + tag('critical', '#b45309') : ''}<br>${small(mode)}</td><td>${availabilityCell(sv, target)}</td><td>${downtimeCell(sv)}</td><td>${changeCell(sv)}</td></tr>${
        showStrip
          ? `
<tr${ZEBRA}><td colspan="4" style="padding:0 4px 6px;">${strip(sv.days, m.days, 10, m.days.length <= 7)}</td></tr>`
          : ''
      }`;
      const provs = providers
        .map(
          (p) =>
            `<tr valign="top"><td style="padding-left:14px;">${name(p.name)}</td><td>${availabilityCell(p, target)}</td><td>${downtimeCell(p)}</td><td>p95 ${ms(p.current.latency.p95Ms)}</td></tr>`,
        )
        .join('\n');
      const more = hiddenProviders
        ? `\n<tr><td colspan="4" style="padding-left:14px;">${small(`and ${hiddenProviders} more provider${hiddenProviders === 1 ? '' : 's'} (in the CSV)`)}</td></tr>`
        : '';
      return [head, provs].filter(Boolean).join('\n') + more;
    })
    .join('\n');
  const hidden = s.hiddenServices.count
    ? `<div style="padding-top:4px;">${small(`and ${s.hiddenServices.count} more services, ${s.hiddenServices.onTarget} of them on target (in the CSV)`)}</div>`
    : '';
  const targetNote = target === null ? '' : ` Target ${targetPct(target)} unless noted.`;
  return row(
    `${title('Services and providers', `A failover service is up while any of its providers is up. Daily strip: green = 100%, light green = met, red = missed, grey = insufficient data.${targetNote}`)}
<table ${GRID}>
<tr><th width="31%" ${TH}>Service / provider</th><th width="25%" ${TH}>Availability</th><th width="22%" ${TH}>Downtime</th><th width="22%" ${TH}>vs previous</th></tr>
${rows}</table>${hidden}`,
  );
}

/** Per month (quarterly) or per ISO week (monthly): the services shown above. */
function columnsSection({ m, s, name }: HtmlContext): string {
  if (m.columns.length === 0 || s.services.length === 0) return '';
  const cell = (e: EntityReport, i: number) => {
    const f = e.columns[i];
    if (!f) return `<td>n/a</td>`;
    return `<td style="color:${STATUS_COLOR[f.status]};">${availabilityShort(f)}</td>`;
  };
  const rows = s.services
    .map(
      ({ service: sv }, k) =>
        `<tr${k % 2 ? '' : ZEBRA}><td>${name(sv.name)}</td>${m.columns.map((_, i) => cell(sv, i)).join('')}</tr>`,
    )
    .join('\n');
  const heads = m.columns.map((col) => `<th ${TH}>${esc(col.label)}</th>`).join('');
  return row(
    `${title(`By ${esc(m.columnKind ?? '')}`)}
<table ${GRID}>
<tr><th width="${m.columns.length > 4 ? 22 : 31}%" ${TH}>Service</th>${heads}</tr>
${rows}</table>`,
  );
}

/** The headline availability against the previous period's ("▲ +0.062 pp vs 2026-W46"). */
function overallNote(m: ReportModel): string {
  const t = m.trend;
  const n = t?.overall.length ?? 0;
  if (!t || n < 2) return 'APIs with enough data';
  const prev = t.overall[n - 2]!;
  const now = t.overall[n - 1]!;
  const key = t.periods[n - 2]!.key;
  if (prev === null || now === null) return `APIs with enough data; ${key} n/a`;
  return `${arrow((now - prev) * 100, ' pp')} vs ${key}`;
}

/** The quarterly report's last four quarters: overall and per service shown. */
function quartersSection({ m, s, name }: HtmlContext): string {
  const t = m.trend;
  if (!t || t.periods.length <= 2) return '';
  const keys = trendKeys(t);
  const cell = (text: string, st: AvailabilityStatus | null) =>
    `<td${st === 'missed' ? ` style="color:${STATUS_COLOR.missed};"` : ''}>${text}</td>`;
  const overall = `<tr${ZEBRA}><td><b>All APIs</b></td>${t.overall.map((a) => cell(a === null ? 'n/a' : pct(a), null)).join('')}</tr>`;
  const rows = s.services
    .map(({ service: sv }, k) => {
      const tr = t.services.find((x) => x.key === sv.key);
      if (!tr) return '';
      return `<tr${k % 2 ? ZEBRA : ''}><td>${name(sv.name)}</td>${tr.points.map((p) => cell(trendPointText(p), p.availability === null ? null : p.status)).join('')}</tr>`;
    })
    .join('\n');
  return row(
    `${title(`Last ${t.periods.length} quarters`, 'Availability per quarter; n/a: no figures kept for that quarter.')}
<table ${GRID}>
<tr><th width="20%" ${TH}>Service</th>${keys.map((k) => `<th ${TH}>${esc(k)}</th>`).join('')}</tr>
${overall}
${rows}</table>`,
  );
}

/** Failover services that ran on one provider alone (or on none), in sentences. */
function redundancySection({ s }: HtmlContext): string {
  if (s.redundancy.length === 0) return '';
  const cut = (n: string) => clip(n, s.limits.nameChars);
  const lines = s.redundancy.flatMap((r) => {
    const named = {
      ...r,
      name: cut(r.name),
      alone: r.alone.map((a) => ({ ...a, provider: cut(a.provider), whileDown: a.whileDown.map(cut) })),
    };
    const out = r.singleProviderMs > 0 ? redundancySentences(named) : [];
    if (r.allDownMs > 0)
      out.push(`${named.name} had every provider down for ${exposureDuration(r.allDownMs)}`);
    return out.map((l) => `<li>${esc(l)}</li>`);
  });
  const more = s.hiddenRedundancy
    ? `<div>${small(`and ${s.hiddenRedundancy} more failover services (in the CSV)`)}</div>`
    : '';
  return row(
    `${title('Redundancy', 'Failover services: time on a single provider while the others were down.')}
<ul style="margin:0;padding-left:18px;font-size:12px;">${lines.join('')}</ul>${more}`,
  );
}

const SLA_COLOR: Record<SlaStatus, string> = {
  met: STATUS_COLOR.met,
  breached: STATUS_COLOR.missed,
  insufficient_data: STATUS_COLOR.insufficient_data,
};

/** Each provider's contract SLA per window: measured availability, met or breached and the credit. */
function slaSection({ m, s, name }: HtmlContext): string {
  if (s.sla.length === 0) return '';
  const rows = s.sla
    .map((r, k) =>
      r.windows
        .map(
          (w, i) =>
            `<tr valign="top"${k % 2 ? '' : ZEBRA}><td>${i === 0 ? `<b>${name(r.name)}</b><br>${small(esc(slaTermsText(r.sla)))}` : ''}</td><td>${esc(w.label)}${w.complete ? '' : `<br>${small(`to ${esc(shortDateTime(w.measuredTo, m.tz))}`)}`}</td><td>${w.status === 'insufficient_data' ? '' : pct(w.availability)}</td><td style="color:${SLA_COLOR[w.status]};">${esc(slaVerdictText(w))}</td></tr>`,
        )
        .join('\n'),
    )
    .join('\n');
  const more = s.hiddenSla
    ? `<div style="padding-top:4px;">${small(`and ${s.hiddenSla} more providers with an SLA (in the CSV)`)}</div>`
    : '';
  return row(
    `${title('Contract SLAs', "Measured by Vigil per calendar window of the provider's terms; a claim follows the provider's own figures.")}
<table ${GRID}>
<tr><th width="27%" ${TH}>Provider</th><th width="19%" ${TH}>Window</th><th width="20%" ${TH}>Measured</th><th width="34%" ${TH}>Verdict</th></tr>
${rows}</table>${more}`,
  );
}

/** Per provider with a status page: our downtime, the part it never declared, and how fast it declared. */
function statusPagesSection({ s, name }: HtmlContext): string {
  if (s.declarations.length === 0) return '';
  const rows = s.declarations
    .map((r, k) => {
      const d = r.declaredAfterMs;
      const red = r.undeclaredMs > 0 ? ` style="color:${STATUS_COLOR.missed};"` : '';
      return `<tr${k % 2 ? '' : ZEBRA}><td><b>${name(r.name)}</b></td><td>${duration(r.downMs)}</td><td${red}>${duration(r.undeclaredMs)}</td><td>${r.declaredIncidents}/${r.incidents}${d ? `, ${duration(d.median)} (max ${duration(d.max)})` : ''}</td></tr>`;
    })
    .join('\n');
  const more = s.hiddenDeclarations
    ? `<div style="padding-top:4px;">${small(`and ${s.hiddenDeclarations} more providers with a status page (in the CSV)`)}</div>`
    : '';
  return row(
    `${title('Provider status pages', 'Our downtime of each provider, the part its status page never declared, and our incidents it declared: median and longest time from our detection to its declared start (negative: it declared first).')}
<table ${GRID}>
<tr><th width="26%" ${TH}>Provider</th><th width="20%" ${TH}>Our downtime</th><th width="22%" ${TH}>Undeclared</th><th ${TH}>Declared, after</th></tr>
${rows}</table>${more}`,
  );
}

/** Per provider: requests sent, the busiest window of its rate-limit budget, and the HTTP 429 share. */
function rateLimitsSection({ s, name }: HtmlContext): string {
  if (s.rateLimits.length === 0) return '';
  const n = (x: number) => x.toLocaleString('en-US');
  const rows = s.rateLimits
    .map((r, k) => {
      const over = (r.peakShare ?? 0) > 1 ? ` style="color:${STATUS_COLOR.missed};"` : '';
      const peak = r.budget
        ? `${n(r.peak?.requests ?? 0)} / ${n(r.budget.requests)} per ${budgetWindowText(r.budget.perMs)}`
        : 'no budget';
      return `<tr${k % 2 ? '' : ZEBRA}><td><b>${name(r.name)}</b></td><td>${n(r.requests)}<br>${small(`HTTP 429: ${n(r.http429)}${r.share429 === null ? '' : ` (${rate(r.share429)})`}`)}</td><td${over}>${peak}</td></tr>`;
    })
    .join('\n');
  const more = s.hiddenRateLimits
    ? `<div style="padding-top:4px;">${small(`and ${s.hiddenRateLimits} more providers (in the CSV)`)}</div>`
    : '';
  return row(
    `${title('Rate limits', 'Requests Vigil sent to each provider, the busiest window of its budget (vigil.yaml rateLimit) and the HTTP 429 answers.')}
<table ${GRID}>
<tr><th width="30%" ${TH}>Provider</th><th width="36%" ${TH}>Requests</th><th ${TH}>Busiest window</th></tr>
${rows}</table>${more}`,
  );
}

/** Probes whose responses announced a deprecation or sunset (RFC 9745 / RFC 8594), soonest first. */
function noticesSection({ m, name }: HtmlContext): string {
  const list = m.notices ?? [];
  if (list.length === 0) return '';
  const rows = list
    .slice(0, NOTICE_LINES)
    .map(
      (n, k) =>
        `<tr${k % 2 ? '' : ZEBRA}><td><b>${name(n.name)}</b><br>${small(name(n.provider))}</td><td>${esc(noticeText(n, m.tz, m.period.to))}</td></tr>`,
    )
    .join('\n');
  const more =
    list.length > NOTICE_LINES
      ? `<div style="padding-top:4px;">${small(`and ${list.length - NOTICE_LINES} more (in the CSV)`)}</div>`
      : '';
  return row(
    `${title('Deprecation notices', "APIs whose responses say they are deprecated or will stop answering (Deprecation / Sunset headers): the provider's own warning.")}
<table ${GRID}>
<tr><th width="34%" ${TH}>API</th><th ${TH}>Notice</th></tr>
${rows}</table>${more}`,
  );
}

/** The APIs that matter: missed or unjudged, most downtime, slowest against their latency limit. */
function attentionSection({ m, s, name }: HtmlContext): string {
  if (s.attention.length === 0) return '';
  const target = m.headline.commonTarget;
  const rows = s.attention
    .map(({ probe: pr, reasons }, k) => {
      const c = pr.current;
      const lat = c.latency;
      const latColor =
        lat.status === 'slow' ? STATUS_COLOR.missed : lat.status === 'ok' ? '#b45309' : '#111827';
      const tags = [
        pr.probe.critical ? tag('critical', '#b45309') : '',
        pr.isNew ? tag('new', '#2563eb') : '',
      ]
        .filter(Boolean)
        .join(' ');
      const q = pr.quarterBudget;
      const budget =
        q === null || q.leftFraction === null
          ? 'n/a'
          : q.exhausted
            ? `<span style="color:${STATUS_COLOR.missed};">${rate(q.leftFraction, 0)}</span>`
            : rate(q.leftFraction, 0);
      const errs = c.topErrors.map((e) => `${esc(e.errorClass)} ${e.count}`).join(', ');
      const detail = [
        reasons.map((r) => REASON[r]).join(', '),
        `error rate ${rate(c.errorRate)}`,
        errs ? `top errors: ${errs}` : '',
      ]
        .filter(Boolean)
        .join(' &middot; ');
      const z = k % 2 ? '' : ZEBRA;
      return `<tr valign="top"${z}><td><b>${name(pr.name)}</b> ${tags}<br>${small(name(pr.probe.provider))}</td><td>${availabilityCell(pr, target)}</td><td>${downtimeCell(pr)}</td><td><span style="color:${latColor};">p95 ${ms(lat.p95Ms)}</span><br>${small(`limit ${lat.thresholdMs}`)}</td><td>${budget}</td></tr>
<tr${z}><td colspan="5" style="padding-top:0;">${small(detail)}</td></tr>`;
    })
    .join('\n');
  const { onTarget, other } = s.rest;
  const rest = [
    onTarget ? `and ${onTarget} more on target` : '',
    other ? `${onTarget ? '' : 'and '}${other} more not on target that did not fit here` : '',
  ]
    .filter(Boolean)
    .join(', ');
  const heading = s.everyProbe
    ? 'APIs'
    : m.headline.missed + m.headline.insufficient > 0
      ? 'APIs that need attention'
      : 'APIs to watch';
  return row(
    `${title(heading, 'Missed the target or insufficient data, then the most downtime, then the highest p95 against the latency limit.')}
<table ${GRID}>
<tr><th width="28%" ${TH}>API</th><th width="23%" ${TH}>Availability</th><th width="18%" ${TH}>Downtime</th><th width="15%" ${TH}>Latency</th><th width="16%" ${TH}>Budget left (Q)</th></tr>
${rows}</table>${rest ? `<div style="padding-top:4px;font-size:12px;">${esc(rest)}.</div>` : ''}`,
  );
}

function slowestSection({ m, name }: HtmlContext): string {
  if (m.slowest.length === 0) return '';
  const scale = Math.max(
    1,
    ...m.slowest.map((p) => {
      const ph = p.current.phases;
      return ph ? ph.dnsMs + ph.connectMs + ph.tlsMs + ph.ttfbMs : 0;
    }),
  );
  const rows = m.slowest
    .map((p) => {
      const ph = p.current.phases;
      const bar = ph
        ? stackedBar(
            [
              { ms: ph.dnsMs, color: PHASE_COLORS.dns, label: 'DNS' },
              { ms: ph.connectMs, color: PHASE_COLORS.connect, label: 'connect' },
              { ms: ph.tlsMs, color: PHASE_COLORS.tls, label: 'TLS' },
              { ms: ph.ttfbMs, color: PHASE_COLORS.ttfb, label: 'first byte' },
            ],
            scale,
          )
        : '';
      const nums = ph
        ? `DNS ${ms(ph.dnsMs)} &middot; connect ${ms(ph.connectMs)} &middot; TLS ${ms(ph.tlsMs)} &middot; first byte ${ms(ph.ttfbMs)}`
        : 'no phase data';
      return `<tr valign="top"><td width="30%"><b>${name(p.name)}</b><br>${small(name(p.probe.provider))}</td><td width="18%">p95 <b>${ms(p.current.latency.p95Ms)}</b></td><td>${bar}${small(nums)}</td></tr>`;
    })
    .join('\n');
  const legend = (
    [
      ['DNS', PHASE_COLORS.dns],
      ['connect', PHASE_COLORS.connect],
      ['TLS', PHASE_COLORS.tls],
      ['first byte', PHASE_COLORS.ttfb],
    ] as const
  )
    .map(([l, c]) => `<span style="display:inline-block;width:9px;height:9px;background:${c};"></span> ${l}`)
    .join(' &nbsp; ');
  return row(
    `${title('Slowest APIs', `p95 latency; bars: mean phase times of successful calls. ${legend}`)}
<table ${GRID}>${rows}</table>`,
  );
}

/** One line per real problem: an incident with the ones grouped under it counted, never "X: X". */
function incidentsSection({ m, s, name }: HtmlContext): string {
  if (s.incidents.length === 0) return '';
  // a title says what happened: twice a name's length
  const title2 = (t: string) => htmlName(t, 2 * s.limits.nameChars);
  const rows = s.incidents
    .map(({ incident: i, children }, k) => {
      const notes = [i.ongoing ? 'ongoing' : '', i.startedBeforePeriod ? 'started before this period' : '']
        .filter(Boolean)
        .join(', ');
      const grouped = children.length
        ? `<br>${small(
            `with ${children.length} grouped incident${children.length === 1 ? '' : 's'}: ${children
              .slice(0, 3)
              .map((c) => name(c.subject))
              .join(', ')}${children.length > 3 ? `, +${children.length - 3}` : ''}`,
          )}`
        : '';
      return `<tr valign="top"${k % 2 ? '' : ZEBRA}><td width="20%">${esc(shortDateTime(i.openedAt, m.tz))}</td><td><b>${title2(incidentText(i))}</b> ${small(`${esc(i.scope)} &middot; ${esc(i.kind)}`)}${grouped}${notes ? `<br><span style="font-size:10px;color:${STATUS_COLOR.missed};">${esc(notes)}</span>` : ''}</td><td width="22%" align="right">${duration(i.durationMs)}${i.inPeriodMs !== i.durationMs ? `<br>${small(`${duration(i.inPeriodMs)} in period`)}` : ''}</td></tr>`;
    })
    .join('\n');
  const more = s.hiddenProblems
    ? `<div style="padding-top:4px;">${small(`and ${s.hiddenProblems} shorter ones (every incident is counted per API in the CSV)`)}</div>`
    : '';
  const heading = s.hiddenProblems
    ? `Longest incidents (${s.incidents.length} of ${s.problems})`
    : `Incidents (${s.problems})`;
  return row(
    `${title(heading, 'One line per problem: incidents grouped under a provider or service outage, as alerted, are counted on its line.')}
<table ${GRID}>${rows}</table>${more}`,
  );
}
/** Where the rest of the report is. */
function restSection({ m, s }: HtmlContext): string {
  const providers =
    (s.declarations.length === 0 && s.hiddenDeclarations > 0) ||
    (s.rateLimits.length === 0 && s.hiddenRateLimits > 0)
      ? " Each provider's status-page and rate-limit figures are in the CSV."
      : '';
  const web = m.webUrl
    ? `, and on the <a href="${esc(m.webUrl)}" style="color:#2563eb;">web version of this report</a>`
    : '';
  return row(
    `<div style="font-size:12px;line-height:1.5;padding:8px 10px;background:#f9fafb;border:1px solid ${LINE};">Every API's figures (availability, downtime, incidents, latency, errors, budget) are in the attached CSV, one row per API and period, and in the PDF report${web}.${providers}</div>`,
  );
}

function footer({ m }: HtmlContext): string {
  return `<tr><td style="padding:16px 16px 20px;font-size:11px;line-height:1.5;color:${MUTED};">
Availability is up time &divide; (up + down) time; maintenance windows and rate-limited (HTTP 429) time do not count, and a period with less than 90% coverage reads &ldquo;insufficient data&rdquo;. Error rate is failed &divide; answered calls (KPI &lt; 1%), success rate is successful &divide; all calls (KPI &ge; 99%). Latency limits: 500 ms for critical APIs, 300 ms otherwise (judged on p95). Budget left (Q): the quarter's error budget, (1 &minus; target) &times; the quarter, minus downtime so far.<br>
Generated ${esc(dateTime(m.generatedAt, m.tz))} (${esc(m.tz)}) by Vigil.
</td></tr>`;
}
