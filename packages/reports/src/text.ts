import { exposureDuration, redundancySentences } from './redundancy.js';
import { periodLabel } from './calendar.js';
import {
  arrow,
  availabilityShort,
  availabilityText,
  dateTime,
  duration,
  latencyLabel,
  ms,
  pct,
  rate,
  shortDateTime,
  statusLabel,
  targetPct,
} from './format.js';
import { declarationText } from './declared.js';
import { NOTICE_LINES, noticeText } from './notices.js';
import { rateLimitText } from './rate-limits.js';
import { slaTermsText, slaVerdictText } from './sla.js';
import {
  clip,
  EMAIL_LIMITS,
  FULL_LIMITS,
  incidentText,
  REASON,
  summarize,
  type ReportSummary,
} from './summary.js';
import { trendKeys, trendPointText } from './trend.js';
import type { EntityReport, Figures, ReportModel } from './types.js';

/** The plain-text alternative of the email: everything the HTML summary says, capped the same way. */
export function renderText(m: ReportModel, o: { detail?: 'email' | 'full' } = {}): string {
  const s = summarize(m, o.detail === 'full' ? FULL_LIMITS : EMAIL_LIMITS);
  const name = (n: string) => clip(n, s.limits.nameChars);
  const h = m.headline;
  const out: string[] = [];
  const title = `Vigil ${m.kind} uptime report — ${periodLabel(m.period)} (${m.tz})`;
  out.push(title, '='.repeat(title.length), '');
  if (m.webUrl) out.push(`On the web: ${m.webUrl}`, '');
  const target = h.commonTarget === null ? 'their targets' : `the ${targetPct(h.commonTarget)} target`;
  out.push(
    `${h.met} of ${h.apis} APIs met ${target}` +
      (h.missed ? `; ${h.missed} missed` : '') +
      (h.insufficient ? `; ${h.insufficient} with insufficient data` : ''),
  );
  out.push(`Overall availability: ${pct(h.availability)}${overallChange(m)}`);
  out.push(`Total downtime: ${duration(h.downtimeMs)}`);
  out.push(
    `Incidents: ${s.problems}` +
      (s.problems === h.incidents ? '' : ` problems (${h.incidents} incidents with the grouped ones)`),
  );
  out.push(
    `Error budget left this quarter: ${h.quarterBudgetLeft === null ? 'n/a' : rate(h.quarterBudgetLeft, 1)}` +
      (h.budgetExhausted ? ` (${h.budgetExhausted} exhausted)` : ''),
  );
  const servicesMet = m.services.filter((x) => x.current.status === 'met').length;
  out.push(`Services on target: ${servicesMet} of ${m.services.length}`);
  out.push(...redundancyLines(s));
  if (s.hiddenRedundancy)
    out.push(`Redundancy: … and ${s.hiddenRedundancy} more failover services (in the CSV)`);
  out.push(...quartersLines(m));
  for (const { service: sv, providers, hiddenProviders } of s.services) {
    out.push(
      '',
      `## ${name(sv.name)} — ${sv.mode === 'any' ? 'up while any provider is up' : 'needs every provider'}`,
    );
    out.push(entityLine(sv, ''));
    if (m.columns.length) out.push(`  by ${m.columnKind}: ${columnsLine(m, sv)}`);
    const tr = m.trend?.services.find((t) => t.key === sv.key);
    if (m.trend && tr && m.trend.periods.length > 2)
      out.push(
        `  last ${m.trend.periods.length} quarters: ${trendKeys(m.trend)
          .map((k, i) => `${k} ${trendPointText(tr.points[i]!)}`)
          .join(', ')}`,
      );
    for (const p of providers) out.push(`  ${name(p.name)}`, entityLine(p, '    '));
    if (hiddenProviders) out.push(`  … and ${hiddenProviders} more providers (in the CSV)`);
  }
  if (s.hiddenServices.count)
    out.push(
      '',
      `… and ${s.hiddenServices.count} more services, ${s.hiddenServices.onTarget} of them on target (in the CSV)`,
    );
  out.push(...slaLines(m, s, name));
  out.push(...providerLines(s, name));
  if (m.notices?.length) {
    out.push('', "## Deprecation and sunset notices (from the providers' responses)");
    for (const n of m.notices.slice(0, NOTICE_LINES))
      out.push(`  ${name(n.name)} (${n.provider}): ${noticeText(n, m.tz, m.period.to)}`);
    if (m.notices.length > NOTICE_LINES)
      out.push(`  … and ${m.notices.length - NOTICE_LINES} more (in the CSV)`);
  }
  if (s.attention.length) {
    const heading = s.everyProbe
      ? 'APIs'
      : h.missed + h.insufficient > 0
        ? 'APIs that need attention'
        : 'APIs to watch';
    out.push('', `## ${heading}`);
    for (const { probe: pr, reasons } of s.attention) {
      out.push(
        `  - ${name(pr.name)}${pr.probe.critical ? ' [critical]' : ''}${pr.isNew ? ' [new]' : ''} (${[name(pr.probe.provider), reasons.map((r) => REASON[r]).join(', ')].filter(Boolean).join('; ')})`,
      );
      out.push(entityLine(pr, '      '));
      out.push(detailLine(pr.current, '      '));
      const q = pr.quarterBudget;
      if (q)
        out.push(
          `      quarter budget used ${duration(q.usedMs)} of ${duration(q.allowedMs)}, left ${rate(q.leftFraction, 1)}`,
        );
    }
    const { onTarget, other } = s.rest;
    if (onTarget || other)
      out.push(
        `  … and ${[onTarget ? `${onTarget} more on target` : '', other ? `${other} more not on target that did not fit here` : ''].filter(Boolean).join(', ')}`,
      );
  }
  if (m.slowest.length) {
    out.push('', '## Slowest APIs (p95, mean phases of successful calls)');
    for (const p of m.slowest) {
      const ph = p.current.phases;
      out.push(
        `  ${name(p.name)}: p95 ${ms(p.current.latency.p95Ms)}` +
          (ph
            ? ` — DNS ${ms(ph.dnsMs)}, connect ${ms(ph.connectMs)}, TLS ${ms(ph.tlsMs)}, first byte ${ms(ph.ttfbMs)}`
            : ''),
      );
    }
  }
  if (s.incidents.length) {
    out.push(
      '',
      s.hiddenProblems
        ? `## Longest incidents (${s.incidents.length} of ${s.problems})`
        : `## Incidents (${s.problems})`,
    );
    for (const { incident: i, children } of s.incidents)
      out.push(
        `  ${shortDateTime(i.openedAt, m.tz)} ${clip(incidentText(i), 2 * s.limits.nameChars)} (${i.scope} ${i.kind}) — ${duration(i.durationMs)}` +
          (i.ongoing ? ' (ongoing)' : '') +
          (i.startedBeforePeriod ? ' (started before this period)' : '') +
          (children.length
            ? ` — with ${children.length} grouped incident${children.length === 1 ? '' : 's'}: ${children
                .slice(0, 3)
                .map((c) => name(c.subject))
                .join(', ')}${children.length > 3 ? `, +${children.length - 3}` : ''}`
            : ''),
      );
    if (s.hiddenProblems) out.push(`  … and ${s.hiddenProblems} shorter ones`);
  }
  out.push(
    '',
    "Every API's figures are in the attached CSV (one row per API and period) and in the PDF report" +
      (m.webUrl ? `, and on the web: ${m.webUrl}` : '') +
      '.',
    '',
    `Generated ${dateTime(m.generatedAt, m.tz)} (${m.tz}). Availability = up / (up + down) time; 429s and maintenance do not count.`,
  );
  return out.join('\n') + '\n';
}

function entityLine(e: EntityReport, indent: string): string {
  const c = e.current;
  const verdict = c.status === 'insufficient_data' ? '' : `: ${statusLabel(c.status)}`;
  return (
    `${indent}availability ${availabilityText(c.availability, c.status, c.coverage)} vs ${targetPct(c.target)}${verdict}` +
    ` | downtime ${duration(c.downMs)} | incidents ${c.incidents.count}` +
    (c.incidents.count
      ? ` (longest ${duration(c.incidents.longestMs)}, MTTR ${duration(c.incidents.mttrMs)})`
      : '') +
    ` | p95 ${ms(c.latency.p95Ms)} | vs previous ${arrow(e.change.availabilityPp, ' pp')}`
  );
}

function detailLine(c: Figures, indent: string): string {
  const errors = c.topErrors.map((e) => `${e.errorClass} ${e.count}`).join(', ');
  return (
    `${indent}error rate ${rate(c.errorRate)} | success ${rate(c.successRate)} | 429 share ${rate(c.rateLimitedShare)}` +
    ` | p50/p95/p99 ${ms(c.latency.p50Ms)} / ${ms(c.latency.p95Ms)} / ${ms(c.latency.p99Ms)} vs ${c.latency.thresholdMs} ms: ${latencyLabel(c.latency.status)}` +
    ` | budget left ${duration(c.budget.leftMs)}` +
    (errors ? ` | top errors: ${errors}` : '')
  );
}

function columnsLine(m: ReportModel, e: EntityReport): string {
  return m.columns
    .map((col, i) => `${col.label} ${e.columns[i] ? availabilityShort(e.columns[i]) : 'n/a'}`)
    .join(', ');
}

/** "Redundancy: Payments ran on stripe alone for 3h 12m while paypal was down", failover services that lost it. */
function redundancyLines(s: ReportSummary): string[] {
  return s.redundancy
    .flatMap((r) => [
      ...redundancySentences(r).filter(() => r.singleProviderMs > 0),
      ...(r.allDownMs > 0 ? [`${r.name} had every provider down for ${exposureDuration(r.allDownMs)}`] : []),
    ])
    .map((line) => `Redundancy: ${line}`);
}

/** " (▲ +0.062 pp vs 2026-W46: 99.850%)", or nothing when either side has no figure. */
function overallChange(m: ReportModel): string {
  const t = m.trend;
  if (!t || t.overall.length < 2) return '';
  const prev = t.overall[t.overall.length - 2]!;
  const now = t.overall[t.overall.length - 1]!;
  const key = t.periods[t.periods.length - 2]!.key;
  if (prev === null) return ` (${key}: n/a)`;
  if (now === null) return ` (${key}: ${pct(prev)})`;
  return ` (${arrow((now - prev) * 100, ' pp')} vs ${key}: ${pct(prev)})`;
}

/** The quarterly report's last four quarters of overall availability. */
function quartersLines(m: ReportModel): string[] {
  const t = m.trend;
  if (!t || t.periods.length <= 2) return [];
  return [
    `Last ${t.periods.length} quarters, overall: ${trendKeys(t)
      .map((k, i) => `${k} ${t.overall[i] === null ? 'n/a' : pct(t.overall[i]!)}`)
      .join(', ')}`,
  ];
}

/** "## Contract SLAs", a provider per line with its terms, then a line per window. */
function slaLines(m: ReportModel, s: ReportSummary, name: (n: string) => string): string[] {
  if (s.sla.length === 0) return [];
  const out = ['', "## Contract SLAs (measured by Vigil; a claim follows the provider's own terms)"];
  for (const r of s.sla) {
    out.push(`  ${name(r.name)} — ${slaTermsText(r.sla)}`);
    for (const w of r.windows)
      out.push(
        `    ${w.label}${w.complete ? '' : ` (so far, to ${shortDateTime(w.measuredTo, m.tz)})`}: ` +
          (w.status === 'insufficient_data' ? '' : `${pct(w.availability)} — `) +
          slaVerdictText(w),
      );
  }
  if (s.hiddenSla) out.push(`  … and ${s.hiddenSla} more providers with an SLA (in the CSV)`);
  return out;
}

/** "## Provider status pages" (declared vs undeclared downtime) and "## Rate limits", a provider a line. */
function providerLines(s: ReportSummary, name: (n: string) => string): string[] {
  const out: string[] = [];
  if (s.declarations.length) {
    out.push('', '## Provider status pages (our downtime against what the provider declared)');
    for (const r of s.declarations) out.push(`  ${name(r.name)}: ${declarationText(r)}`);
    if (s.hiddenDeclarations)
      out.push(`  … and ${s.hiddenDeclarations} more providers with a status page (in the CSV)`);
  }
  if (s.rateLimits.length) {
    out.push('', '## Rate limits (requests we sent against each provider)');
    for (const r of s.rateLimits) out.push(`  ${name(r.name)}: ${rateLimitText(r)}`);
    if (s.hiddenRateLimits) out.push(`  … and ${s.hiddenRateLimits} more providers (in the CSV)`);
  }
  return out;
}
