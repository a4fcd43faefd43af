import type { Incident, ProbeResult, ProbeSpec, StepResult } from '@vigil/core';
import type { Silence } from '@vigil/db';
import { LATENCY_RANGES, type DashboardProbe, type LatencyRange } from '@vigil/evaluation';
import { html, type Html } from '../../html.js';
import { ms, stateBadge, time } from './format.js';
import { layout, withToken, type PageContext } from './layout.js';
import { incidentLine, quickSilence, regionsText, silencesTable } from './overview.js';

export interface ProbePageModel {
  spec: ProbeSpec;
  probe: DashboardProbe;
  range: LatencyRange;
  results: ProbeResult[];
  incidents: Incident[];
  /** silences naming this probe, its provider or its service */
  silences: Silence[];
  now: number;
}

/** One probe: facts, the latency chart by phase (drawn by the script from the series JSON), results, incidents. */
export function probePage(ctx: PageContext, m: ProbePageModel): Html {
  const p = m.probe;
  const base = `/dashboard/probes/${encodeURIComponent(p.id)}`;
  const back = base;
  const interval =
    m.spec.schedule.type === 'interval' ? `every ${Math.round(m.spec.schedule.everyMs / 1000)} s` : 'cron';
  const body = html`
<p><a href="${withToken('/dashboard', ctx)}">← All probes</a></p>
<h1>${p.name} <span data-probe-state="${p.id}">${stateBadge(p.state, { field: true })}</span></h1>
<p class="facts"><span>id <b>${p.id}</b></span><span>service <b>${p.service}</b></span><span>provider <b>${p.provider}</b></span>
<span>regions <b>${regionsText(p)}</b></span><span>kind <b>${m.spec.kind}</b></span><span>schedule <b>${interval}</b></span>
<span>SLO <b>${(m.spec.sloTarget * 100).toFixed(2)}%</b></span><span>latest <b>${ms(p.latencyMs)}</b></span></p>
${p.lastError ? html`<p class="flash error">${p.errorClass ?? 'error'}: ${p.lastError}</p>` : ''}
${ctx.canWrite ? html`<p>${quickSilence(ctx, p.id, back)}</p>` : ''}
<section aria-labelledby="chart-h">
<h2 id="chart-h">Latency by phase</h2>
<nav class="ranges" aria-label="time range">${Object.keys(LATENCY_RANGES).map(
    (r) =>
      html`<a href="${withToken(`${base}?range=${r}`, ctx)}"${r === m.range ? html` aria-current="page"` : ''}>${r}</a>`,
  )}</nav>
<div class="card chart" id="chart" data-series="${withToken(`${base}/series?range=${m.range}`, ctx)}">
<noscript>The chart needs JavaScript; the recent results are listed below.</noscript>
</div>
<p class="muted">${m.range === '1h' || m.range === '24h' ? 'One point per slot (regions averaged) from the stored results.' : 'One point per hour from the hourly rollups: mean DNS / connect / TLS / first byte of the up slots, median total.'}</p>
</section>
<section aria-labelledby="results-h">
<h2 id="results-h">Recent results</h2>
${m.results.length === 0 ? html`<p class="muted">No results in the last 6 hours.</p>` : resultsTable(m.results)}
</section>
<div class="grid2">
<section aria-labelledby="incidents-h">
<h2 id="incidents-h">Incidents</h2>
<div class="card">
${m.incidents.length === 0 ? html`<p class="muted">No incidents for this probe.</p>` : html`<ol class="timeline">${m.incidents.map((i) => html`<li data-incident="${i.id}"${i.resolvedAt ? html` class="resolved"` : ''}>${incidentLine(ctx, i, m.now, false)}</li>`)}</ol>`}
</div>
</section>
<section aria-labelledby="silences-h">
<h2 id="silences-h">Silences</h2>
<div class="card">${silencesTable(ctx, m.silences, back)}</div>
</section>
</div>`;
  return layout(ctx, {
    title: p.name,
    body,
    live: true,
    styles: ['/assets/uplot.css'],
    scripts: ['/assets/uplot.js'],
  });
}

function resultsTable(results: readonly ProbeResult[]): Html {
  return html`<div class="table-wrap"><table id="results">
<thead><tr><th>Slot</th><th>Region</th><th>Outcome</th><th>Status</th><th>Error</th><th class="num">DNS</th><th class="num">Connect</th><th class="num">TLS</th><th class="num">First byte</th><th class="num">Transfer</th><th class="num">Total</th></tr></thead>
<tbody>${results.map(
    (
      r,
    ) => html`<tr><td>${time(r.slotAt)}</td><td>${r.region}</td><td><span class="state state-${r.outcome === 'up' ? 'up' : r.outcome === 'down' ? 'down' : 'degraded'}">${r.outcome.replace('_', ' ')}</span></td>
<td>${r.httpStatus ?? (r.notSent ? html`<span class="sub">not sent (${NOT_SENT[r.notSent]})</span>` : '—')}</td><td class="err">${r.errorClass ?? ''}${r.message ? html`<span class="sub">${r.message}</span>` : ''}</td>
<td class="num">${ms(r.phases.dnsMs)}</td><td class="num">${ms(r.phases.connectMs)}</td><td class="num">${ms(r.phases.tlsMs)}</td>
<td class="num">${ms(r.phases.ttfbMs)}</td><td class="num">${ms(r.phases.transferMs)}</td><td class="num">${ms(r.phases.totalMs)}</td></tr>${r.steps?.length ? stepRows(r.steps) : ''}`,
  )}</tbody></table></div>`;
}

const NOT_SENT = { deferred: 'Retry-After', budget: 'out of budget' } as const;

/** A multi-step result's steps under its row, each with its phases; the first failing one is marked. */
function stepRows(steps: readonly StepResult[]): Html {
  const failed = steps.findIndex((s) => s.outcome !== 'up');
  return html`${steps.map(
    (
      s,
      i,
    ) => html`<tr class="step" data-step="${s.name}"${i === failed ? html` data-failed-step` : ''}><td></td><td colspan="2">step ${i + 1} <b>${s.name}</b>${i === failed ? html` <span class="state state-down">failed here</span>` : ''}</td>
<td>${s.httpStatus ?? '—'}</td><td class="err">${s.errorClass ?? ''}</td>
<td class="num">${ms(s.phases.dnsMs)}</td><td class="num">${ms(s.phases.connectMs)}</td><td class="num">${ms(s.phases.tlsMs)}</td>
<td class="num">${ms(s.phases.ttfbMs)}</td><td class="num">${ms(s.phases.transferMs)}</td><td class="num">${ms(s.phases.totalMs)}</td></tr>`,
  )}`;
}
