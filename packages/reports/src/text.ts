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
import type { EntityReport, Figures, ReportModel } from './types.js';

/** The plain-text alternative of the email: the same figures as the HTML. */
export function renderText(m: ReportModel): string {
  const h = m.headline;
  const out: string[] = [];
  const title = `Vigil ${m.kind} uptime report — ${periodLabel(m.period)} (${m.tz})`;
  out.push(title, '='.repeat(title.length), '');
  if (m.webUrl) out.push(`On the web: ${m.webUrl}`, '');
  const target = h.commonTarget === null ? 'their targets' : `the ${targetPct(h.commonTarget)} target`;
  out.push(
    `${h.met} of ${h.apis} APIs met ${target}` +
      (h.insufficient ? `; ${h.insufficient} with insufficient data` : ''),
  );
  out.push(`Overall availability: ${pct(h.availability)}`);
  out.push(`Total downtime: ${duration(h.downtimeMs)}`);
  out.push(`Incidents: ${h.incidents}`);
  out.push(
    `Error budget left this quarter: ${h.quarterBudgetLeft === null ? 'n/a' : rate(h.quarterBudgetLeft, 1)}` +
      (h.budgetExhausted ? ` (${h.budgetExhausted} exhausted)` : ''),
  );
  for (const s of m.services) {
    out.push(
      '',
      `## ${s.name} — ${s.mode === 'any' ? 'up while any provider is up' : 'needs every provider'}`,
    );
    out.push(entityLine(s, ''));
    if (m.columns.length) out.push(`  by ${m.columnKind}: ${columnsLine(m, s)}`);
    for (const p of s.providers) {
      out.push('', `  ${p.name}`, entityLine(p, '  '));
      for (const pr of p.probes) {
        out.push(`    - ${pr.name}${pr.probe.critical ? ' [critical]' : ''}${pr.isNew ? ' [new]' : ''}`);
        out.push(entityLine(pr, '      '));
        out.push(detailLine(pr.current, '      '));
        const q = pr.quarterBudget;
        if (q)
          out.push(
            `      quarter budget used ${duration(q.usedMs)} of ${duration(q.allowedMs)}, left ${rate(q.leftFraction, 1)}`,
          );
        if (m.columns.length) out.push(`      by ${m.columnKind}: ${columnsLine(m, pr)}`);
      }
    }
  }
  if (m.slowest.length) {
    out.push('', '## Slowest APIs (p95, mean phases of successful calls)');
    for (const p of m.slowest) {
      const ph = p.current.phases;
      out.push(
        `  ${p.name}: p95 ${ms(p.current.latency.p95Ms)}` +
          (ph
            ? ` — DNS ${ms(ph.dnsMs)}, connect ${ms(ph.connectMs)}, TLS ${ms(ph.tlsMs)}, first byte ${ms(ph.ttfbMs)}`
            : ''),
      );
    }
  }
  const list = m.kind === 'quarterly' ? m.incidents : m.incidents.slice(0, 10);
  if (list.length) {
    out.push('', `## Incidents (${m.incidents.length})`);
    for (const i of list)
      out.push(
        `  ${shortDateTime(i.openedAt, m.tz)} ${i.subject}: ${i.title} — ${duration(i.durationMs)}` +
          (i.ongoing ? ' (ongoing)' : '') +
          (i.startedBeforePeriod ? ' (started before this period)' : ''),
      );
    if (list.length < m.incidents.length) out.push(`  … and ${m.incidents.length - list.length} more`);
  }
  out.push(
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
