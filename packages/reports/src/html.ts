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
  badge,
  esc,
  FONT,
  latencyBars,
  LINE,
  MUTED,
  PHASE_COLORS,
  STATUS_COLOR,
  stackedBar,
  strip,
  tag,
} from './html-parts.js';
import { reportSubject } from './subject.js';
import type { EntityReport, ProbeReport, ProviderReport, ReportModel, ServiceReport } from './types.js';

export interface RenderedHtml {
  html: string;
  /** images referenced as `cid:`; empty: every chart is table cells */
  inlineImages: { cid: string; png: Buffer }[];
}

const WIDTH = 720;
const TD = `style="padding:6px 8px;border-top:1px solid ${LINE};font-size:12px;vertical-align:top;"`;
const TH = `style="padding:6px 8px;font-size:10px;font-weight:600;color:${MUTED};text-transform:uppercase;letter-spacing:.04em;text-align:left;"`;

/** The email body: tables, inline styles and bgcolor only; no scripts, no external images. */
export function renderHtml(m: ReportModel): RenderedHtml {
  const body = [
    header(m),
    headline(m),
    ...m.services.map((s) => service(m, s)),
    slowest(m),
    incidents(m),
    footer(m),
  ]
    .filter(Boolean)
    .map(ascii)
    .join('\n');
  const html = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${ascii(esc(reportSubject(m)))}</title></head>
<body style="margin:0;padding:0;background:#f3f4f6;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" bgcolor="#f3f4f6"><tr><td align="center" style="padding:24px 8px;">
<table role="presentation" width="${WIDTH}" cellpadding="0" cellspacing="0" border="0" bgcolor="#ffffff" style="width:${WIDTH}px;max-width:${WIDTH}px;border:1px solid ${LINE};${FONT}color:#111827;">
${body}
</table>
</td></tr></table>
</body></html>
`;
  return { html, inlineImages: [] };
}

/** Non-ASCII as character references: the email is 7-bit clean and the big string stays one byte per char. */
function ascii(html: string): string {
  return html.replace(/[^\p{ASCII}]/gu, (c) => `&#${c.codePointAt(0)};`);
}

function row(inner: string, padding = '20px 28px 4px'): string {
  return `<tr><td style="padding:${padding};">${inner}</td></tr>`;
}

function header(m: ReportModel): string {
  return `<tr><td bgcolor="#111827" style="padding:22px 28px;color:#ffffff;">
<div style="font-size:11px;letter-spacing:.12em;text-transform:uppercase;color:#9ca3af;">Vigil · ${esc(m.kind)} uptime report</div>
<div style="font-size:22px;font-weight:600;padding-top:4px;">${esc(periodLabel(m.period))}</div>
<div style="font-size:12px;color:#9ca3af;padding-top:2px;">Times in ${esc(m.tz)} · compared with ${esc(m.previous.key)}</div>${
    m.webUrl
      ? `
<div style="font-size:12px;padding-top:8px;"><a href="${esc(m.webUrl)}" style="color:#93c5fd;">View this report in a browser</a></div>`
      : ''
  }
</td></tr>`;
}

function tile(label: string, value: string, note: string, color = '#111827'): string {
  return `<td width="20%" valign="top" style="padding:12px 10px;border:1px solid ${LINE};">
<div style="font-size:10px;color:${MUTED};text-transform:uppercase;letter-spacing:.04em;">${esc(label)}</div>
<div style="font-size:20px;font-weight:600;color:${color};padding-top:4px;">${esc(value)}</div>
<div style="font-size:11px;color:${MUTED};padding-top:2px;">${esc(note)}</div></td>`;
}

function headline(m: ReportModel): string {
  const h = m.headline;
  const target = h.commonTarget === null ? 'their targets' : `met ${targetPct(h.commonTarget)}`;
  const metColor = h.missed > 0 ? STATUS_COLOR.missed : STATUS_COLOR.met;
  const extra = [
    h.missed ? `${h.missed} missed` : '',
    h.insufficient ? `${h.insufficient} insufficient data` : '',
  ]
    .filter(Boolean)
    .join(', ');
  const tiles = [
    tile('APIs on target', `${h.met} of ${h.apis}`, extra ? `${target}; ${extra}` : target, metColor),
    tile('Availability', h.availability === null ? 'n/a' : pct(h.availability), 'APIs with enough data'),
    tile('Downtime', duration(h.downtimeMs), 'summed over APIs'),
    tile('Incidents', String(h.incidents), 'opened or still open'),
    tile(
      'Budget left',
      h.quarterBudgetLeft === null ? 'n/a' : rate(h.quarterBudgetLeft, 1),
      h.budgetExhausted ? `this quarter; ${h.budgetExhausted} exhausted` : 'this quarter, mean',
      h.budgetExhausted ? STATUS_COLOR.missed : '#111827',
    ),
  ].join('');
  return row(
    `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;"><tr>${tiles}</tr></table>`,
    '20px 28px 8px',
  );
}

function availabilityCell(e: EntityReport): string {
  const c = e.current;
  const small = (t: string) => `<span style="font-size:10px;color:${MUTED};">${t}</span>`;
  if (c.status === 'insufficient_data')
    return `${badge(statusLabel(c.status), c.status)}<br>${small(`${rate(c.coverage, 0)} coverage · target ${targetPct(c.target)}`)}`;
  return `<b>${pct(c.availability)}</b><br>${badge(statusLabel(c.status), c.status)} ${small(`of ${targetPct(c.target)}`)}`;
}

function incidentsCell(e: EntityReport): string {
  const i = e.current.incidents;
  if (i.count === 0) return '0';
  return `${i.count}${i.ongoing ? ` <span style="color:${STATUS_COLOR.missed};font-size:10px;">(${i.ongoing} open)</span>` : ''}<br><span style="font-size:10px;color:${MUTED};">longest ${duration(i.longestMs)}${i.mttrMs === null ? '' : `<br>MTTR ${duration(i.mttrMs)}`}</span>`;
}

function changeCell(e: EntityReport): string {
  const d = e.change.availabilityPp;
  const color = d === null || Math.abs(d) < 0.0005 ? MUTED : d > 0 ? STATUS_COLOR.met : STATUS_COLOR.missed;
  return `<span style="color:${color};white-space:nowrap;">${esc(arrow(d, ' pp'))}</span><br><span style="font-size:10px;color:${MUTED};">was ${availabilityShort(e.previous)}</span>`;
}

function service(m: ReportModel, s: ServiceReport): string {
  const mode = s.mode === 'any' ? 'failover: up while any provider is up' : 'needs every provider';
  const title = `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0"><tr>
<td valign="bottom"><span style="font-size:17px;font-weight:600;">${esc(s.name)}</span>${s.critical ? ' ' + tag('critical', '#b45309') : ''}<br><span style="font-size:11px;color:${MUTED};">${esc(mode)} · target ${targetPct(s.current.target)}</span></td>
<td align="right" valign="bottom" style="font-size:12px;">${badge(statusLabel(s.current.status), s.current.status)}${s.current.status === 'insufficient_data' ? '' : ` <span style="font-size:18px;font-weight:600;">${pct(s.current.availability)}</span>`}<br><span style="font-size:11px;color:${MUTED};">downtime ${duration(s.current.downMs)} · ${esc(arrow(s.change.availabilityPp, ' pp'))}</span></td>
</tr></table>`;
  const parts = [
    title,
    `<div style="padding-top:8px;">${strip(s.days, m.days, 16, m.kind !== 'quarterly')}</div>`,
    providersTable(m, s.providers),
    probesTable(s.providers),
    m.columns.length ? columnsTable(m, s) : '',
  ];
  return (
    row(parts.join('\n'), '22px 28px 6px') +
    `<tr><td style="padding:0 28px;"><div style="border-top:2px solid ${LINE};font-size:0;line-height:0;">&nbsp;</div></td></tr>`
  );
}

function providersTable(m: ReportModel, providers: readonly ProviderReport[]): string {
  const caption = (t: string) => `<div style="font-size:9px;color:${MUTED};padding-top:2px;">${t}</div>`;
  const rows = providers
    .map(
      (p) => `<tr><td ${TD}><b>${esc(p.name)}</b></td>
<td ${TD}>${availabilityCell(p)}</td>
<td ${TD}>${duration(p.current.downMs)}</td>
<td ${TD}>${incidentsCell(p)}</td>
<td ${TD}>p95 <b>${ms(p.current.latency.p95Ms)}</b></td></tr>
<tr><td colspan="5" style="padding:0 8px 8px;"><table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="table-layout:fixed;"><tr>
<td width="60%" valign="bottom" style="padding-right:12px;">${strip(p.days, m.days, 10, false)}${caption('daily availability')}</td>
<td width="40%" valign="bottom">${latencyBars(p.latencyTrend, p.current.latency.thresholdMs, 22)}${caption(`daily p95 (limit ${p.current.latency.thresholdMs} ms)`)}</td>
</tr></table></td></tr>`,
    )
    .join('\n');
  return `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="margin-top:10px;table-layout:fixed;">
<tr><th width="24%" ${TH}>Provider</th><th width="30%" ${TH}>Availability</th><th width="13%" ${TH}>Downtime</th><th width="18%" ${TH}>Incidents</th><th width="15%" ${TH}>Latency</th></tr>
${rows}</table>`;
}

function probesTable(providers: readonly ProviderReport[]): string {
  const rows = providers.flatMap((p) => p.probes.map((pr) => probeRows(pr))).join('\n');
  return `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="margin-top:12px;table-layout:fixed;">
<tr><th width="24%" ${TH}>API</th><th width="19%" ${TH}>Availability</th><th width="11%" ${TH}>Downtime</th><th width="13%" ${TH}>Incidents</th><th width="13%" ${TH}>Latency</th><th width="9%" ${TH}>Budget left (Q)</th><th width="11%" ${TH}>vs previous</th></tr>
${rows}</table>`;
}

function probeRows(pr: ProbeReport): string {
  const c = pr.current;
  const lat = c.latency;
  const latColor = lat.status === 'slow' ? STATUS_COLOR.missed : lat.status === 'ok' ? '#b45309' : '#111827';
  const tags = [pr.probe.critical ? tag('critical', '#b45309') : '', pr.isNew ? tag('new', '#2563eb') : '']
    .filter(Boolean)
    .join(' ');
  const q = pr.quarterBudget;
  const budget =
    q === null || q.leftFraction === null
      ? 'n/a'
      : `<span style="color:${q.exhausted ? STATUS_COLOR.missed : '#111827'};">${rate(q.leftFraction, 0)}</span><br><span style="font-size:10px;color:${MUTED};">used ${duration(q.usedMs)}</span>`;
  const errs = c.topErrors.map((e) => `${esc(e.errorClass)} ${e.count}`).join(', ');
  const kpi = (ok: boolean | null, text: string) =>
    `<span style="color:${ok === false ? STATUS_COLOR.missed : MUTED};">${text}</span>`;
  const detail = [
    kpi(c.errorRate === null ? null : c.errorRate < 0.01, `error rate ${rate(c.errorRate)} (&lt; 1%)`),
    kpi(c.successRate === null ? null : c.successRate >= 0.99, `success ${rate(c.successRate)} (&ge; 99%)`),
    `429s ${rate(c.rateLimitedShare)}`,
    errs ? `top errors: ${errs}` : '',
  ]
    .filter(Boolean)
    .join(' · ');
  return `<tr><td ${TD}><b>${esc(pr.name)}</b> ${tags}<br><span style="font-size:10px;color:${MUTED};">${esc(pr.probe.provider)}</span></td>
<td ${TD}>${availabilityCell(pr)}</td>
<td ${TD}>${duration(c.downMs)}</td>
<td ${TD}>${incidentsCell(pr)}</td>
<td ${TD}><span style="color:${latColor};">p95 <b>${ms(lat.p95Ms)}</b></span><br><span style="font-size:10px;color:${MUTED};">p50 ${ms(lat.p50Ms)} · p99 ${ms(lat.p99Ms)}<br>limit ${lat.thresholdMs} ms</span></td>
<td ${TD}>${budget}</td>
<td ${TD}>${changeCell(pr)}</td></tr>
<tr><td colspan="7" style="padding:0 8px 6px;font-size:10px;color:${MUTED};">${detail}</td></tr>`;
}

function columnsTable(m: ReportModel, s: ServiceReport): string {
  const cell = (e: EntityReport, i: number) => {
    const f = e.columns[i];
    if (!f) return `<td ${TD}>n/a</td>`;
    return `<td ${TD}><span style="color:${STATUS_COLOR[f.status]};">${availabilityShort(f)}</span></td>`;
  };
  const line = (e: EntityReport, label: string) =>
    `<tr><td ${TD}>${label}</td>${m.columns.map((_, i) => cell(e, i)).join('')}</tr>`;
  const rows = [
    line(s, `<b>${esc(s.name)}</b>`),
    ...s.providers.flatMap((p) => [
      line(p, esc(p.name)),
      ...p.probes.map((pr) =>
        line(pr, `<span style="padding-left:10px;color:${MUTED};">${esc(pr.name)}</span>`),
      ),
    ]),
  ].join('\n');
  const heads = m.columns.map((c) => `<th ${TH}>${esc(c.label)}</th>`).join('');
  return `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="margin-top:12px;">
<tr><th ${TH}>By ${esc(m.columnKind ?? '')}</th>${heads}</tr>
${rows}</table>`;
}

function slowest(m: ReportModel): string {
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
        ? `DNS ${ms(ph.dnsMs)} · connect ${ms(ph.connectMs)} · TLS ${ms(ph.tlsMs)} · first byte ${ms(ph.ttfbMs)}`
        : 'no phase data';
      return `<tr><td ${TD} width="28%"><b>${esc(p.name)}</b><br><span style="font-size:10px;color:${MUTED};">${esc(p.probe.provider)}</span></td>
<td ${TD} width="14%">p95 <b>${ms(p.current.latency.p95Ms)}</b></td>
<td ${TD}>${bar}<span style="font-size:10px;color:${MUTED};">${nums}</span></td></tr>`;
    })
    .join('\n');
  const legend = (
    Object.entries({
      DNS: PHASE_COLORS.dns,
      connect: PHASE_COLORS.connect,
      TLS: PHASE_COLORS.tls,
      'first byte': PHASE_COLORS.ttfb,
    }) as [string, string][]
  )
    .map(
      ([l, c]) =>
        `<span style="display:inline-block;width:9px;height:9px;background:${c};"></span> ${esc(l)}`,
    )
    .join(' &nbsp; ');
  return row(
    `<div style="font-size:15px;font-weight:600;">Slowest APIs</div>
<div style="font-size:11px;color:${MUTED};padding:2px 0 6px;">p95 latency; bars: mean phase times of successful calls. ${legend}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="table-layout:fixed;">${rows}</table>`,
    '22px 28px 6px',
  );
}

function incidents(m: ReportModel): string {
  if (m.incidents.length === 0) return '';
  const list =
    m.kind === 'quarterly'
      ? m.incidents
      : [...m.incidents].sort((a, b) => b.inPeriodMs - a.inPeriodMs).slice(0, 10);
  const rows = list
    .map((i) => {
      const notes = [i.ongoing ? 'ongoing' : '', i.startedBeforePeriod ? 'started before this period' : '']
        .filter(Boolean)
        .join(', ');
      return `<tr><td ${TD} width="20%">${esc(shortDateTime(i.openedAt, m.tz))}</td>
<td ${TD} width="22%"><b>${esc(i.subject)}</b><br><span style="font-size:10px;color:${MUTED};">${esc(i.scope)} · ${esc(i.kind)}</span></td>
<td ${TD}>${esc(i.title)}${notes ? `<br><span style="font-size:10px;color:${STATUS_COLOR.missed};">${esc(notes)}</span>` : ''}</td>
<td ${TD} width="16%" align="right">${duration(i.durationMs)}${i.inPeriodMs !== i.durationMs ? `<br><span style="font-size:10px;color:${MUTED};">${duration(i.inPeriodMs)} in period</span>` : ''}</td></tr>`;
    })
    .join('\n');
  const more =
    list.length < m.incidents.length
      ? `<div style="font-size:11px;color:${MUTED};padding-top:4px;">… and ${m.incidents.length - list.length} more (see the CSV)</div>`
      : '';
  const title =
    m.kind === 'quarterly'
      ? `All incidents (${m.incidents.length})`
      : `Longest incidents (${m.incidents.length} in all)`;
  return row(
    `<div style="font-size:15px;font-weight:600;padding-bottom:6px;">${title}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="table-layout:fixed;">${rows}</table>${more}`,
    '22px 28px 6px',
  );
}

function footer(m: ReportModel): string {
  return `<tr><td style="padding:20px 28px 24px;font-size:11px;line-height:1.5;color:${MUTED};">
Availability is up time ÷ (up + down) time; maintenance windows and rate-limited (HTTP 429) time do not count, and a period with less than 90% coverage reads “insufficient data”. Error rate is failed ÷ answered calls (KPI &lt; 1%), success rate is successful ÷ all calls (KPI &ge; 99%). Latency limits: 500 ms for critical APIs, 300 ms otherwise (judged on p95). Budget left (Q): the quarter's error budget, (1 − target) × the quarter, minus downtime so far.<br>
Generated ${esc(dateTime(m.generatedAt, m.tz))} (${esc(m.tz)}) by Vigil.
</td></tr>`;
}
