import { declarationText } from '@vigil/notify';
import type { Silence } from '@vigil/db';
import type { DashboardProbe, DashboardView, IncidentNode, SilenceTargets } from '@vigil/evaluation';
import type { Incident } from '@vigil/core';
import { html, type Html } from '../../html.js';
import { ms, span, stateBadge, stateText, time } from './format.js';
import { layout, withToken, type PageContext } from './layout.js';

/** The dashboard's filters, from the query string (the form works without script). */
export interface ProbeFilter {
  service: string;
  provider: string;
  region: string;
  state: string;
  /** part of a probe id or name, case-insensitive */
  q: string;
}

export const FILTER_KEYS = ['service', 'provider', 'region', 'state', 'q'] as const;

export const STATES = ['up', 'degraded', 'down', 'no_data', 'maintenance', 'config', 'unknown'] as const;

export function matches(p: DashboardProbe, f: ProbeFilter): boolean {
  const q = f.q.trim().toLowerCase();
  return (
    (f.service === '' || p.service === f.service) &&
    (f.provider === '' || p.provider === f.provider) &&
    (f.region === '' || p.regions.includes(f.region)) &&
    (f.state === '' || p.state === f.state) &&
    (q === '' || p.id.toLowerCase().includes(q) || p.name.toLowerCase().includes(q))
  );
}

export const SILENCE_DURATIONS = ['15m', '30m', '1h', '2h', '4h', '8h', '1d', '3d', '7d'] as const;

const select = (
  name: string,
  label: string,
  values: readonly string[],
  chosen: string,
  text = (v: string) => v,
) =>
  html`<label>${label}<select name="${name}" data-filter="${name}"><option value="">all</option>${values.map(
    (v) => html`<option value="${v}"${v === chosen ? html` selected` : ''}>${text(v)}</option>`,
  )}</select></label>`;

const uniq = (xs: string[]) => [...new Set(xs)].sort();

export function dashboardPage(
  ctx: PageContext,
  view: DashboardView,
  filter: ProbeFilter,
  targets: SilenceTargets,
): Html {
  const shown = view.probes.filter((p) => matches(p, filter));
  const count = (s: string) => view.probes.filter((p) => p.state === s).length;
  const body = html`
<h1>Probes</h1>
<form class="filters card" method="get" action="/dashboard" id="filters">
${ctx.token !== null ? html`<input type="hidden" name="token" value="${ctx.token}">` : ''}
<label>Search id or name<input type="search" name="q" value="${filter.q}" data-filter="q" placeholder="e.g. stripe" autocomplete="off"></label>
${select('service', 'Service', uniq(view.probes.map((p) => p.service)), filter.service)}
${select('provider', 'Provider', uniq(view.probes.map((p) => p.provider)), filter.provider)}
${select('region', 'Region', uniq(view.probes.flatMap((p) => p.regions)), filter.region)}
${select('state', 'State', STATES, filter.state, stateText)}
<button type="submit" class="primary">Filter</button>
<a href="${withToken('/dashboard', ctx)}">Clear</a>
</form>
<p class="summary" id="summary"><span id="shown-count">${shown.length}</span> of ${view.probes.length} probes shown ·
<span id="count-down">${count('down')}</span> down · <span id="count-degraded">${count('degraded')}</span> degraded</p>
<div class="table-wrap">
<table class="probes" id="probes">
<thead><tr><th>Probe</th><th>State</th><th>Service / provider</th><th>Regions</th><th>Error</th><th>Last error</th><th class="num">Latency</th><th>Last run</th></tr></thead>
<tbody>
${view.probes.map((p) => probeRow(ctx, p, matches(p, filter)))}
</tbody>
</table>
</div>
${shown.length === 0 ? html`<p class="muted" id="none-shown">No probe matches these filters.</p>` : ''}
${declarationsCard(view)}
<div class="grid2">
<section aria-labelledby="incidents-h">
<h2 id="incidents-h">Incidents</h2>
<div class="card">
<ol class="timeline" id="timeline">
${view.incidents.map((n) => incidentItem(ctx, n, view.at))}
</ol>
${view.incidents.length === 0 ? html`<p class="muted" id="no-incidents">No incidents recorded.</p>` : ''}
</div>
</section>
<section aria-labelledby="silences-h">
<h2 id="silences-h">Silences</h2>
<div class="card">
${silencesTable(ctx, view.silences, '/dashboard')}
${ctx.canWrite ? silenceForm(ctx, targets, '', '/dashboard') : html`<p class="muted">A token with the write scope can create and expire silences.</p>`}
</div>
</section>
</div>`;
  return layout(ctx, { title: 'Dashboard', body, live: true });
}

/** Every probe is rendered (hidden ones with the `hidden` class), so the script can filter and update live. */
function probeRow(ctx: PageContext, p: DashboardProbe, visible: boolean): Html {
  return html`<tr data-probe="${p.id}" data-service="${p.service}" data-provider="${p.provider}" data-regions="${p.regions.join(' ')}" data-state="${p.state}" data-name="${p.name.toLowerCase()}"${visible ? '' : html` class="hidden"`}>
<td data-label="Probe"><a href="${withToken(`/dashboard/probes/${encodeURIComponent(p.id)}`, ctx)}">${p.name}</a><span class="sub">${p.id}</span></td>
<td data-label="State">${stateBadge(p.state, { field: true })}</td>
<td data-label="Service">${p.service}<span class="sub">${p.provider}</span></td>
<td data-label="Regions"><span data-field="regions">${regionsText(p)}</span></td>
<td data-label="Error"><span data-field="errorClass">${p.errorClass ?? '—'}</span></td>
<td data-label="Last error" class="err"><span data-field="lastError">${p.lastError ?? '—'}</span></td>
<td data-label="Latency" class="num"><span data-field="latency">${ms(p.latencyMs)}</span></td>
<td data-label="Last run">${time(p.lastAt)}</td>
</tr>`;
}

export const regionsText = (p: Pick<DashboardProbe, 'regions' | 'failingRegions'>): string =>
  p.regions.map((r) => (p.failingRegions.includes(r) ? `${r} (failing)` : r)).join(', ');

function incidentItem(ctx: PageContext, n: IncidentNode, now: number, top = true): Html {
  const i = n.incident;
  return html`<li data-incident="${i.id}"${i.resolvedAt ? html` class="resolved"` : ''}>
${incidentLine(ctx, i, now, top)}
${n.children.length > 0 ? html`<ol aria-label="grouped incidents">${n.children.map((c) => incidentItem(ctx, c, now, false))}</ol>` : ''}
</li>`;
}

export function incidentLine(ctx: PageContext, i: Incident, now: number, actions: boolean): Html {
  const status = i.resolvedAt
    ? html`resolved after ${span(i.openedAt.getTime(), i.resolvedAt.getTime())}`
    : html`<b>open</b> for ${span(i.openedAt.getTime(), now)}`;
  return html`<span class="kind">${i.kind} · ${i.scope}</span> <b>${i.title}</b> <a class="details" href="${withToken(incidentPath(i.id), ctx)}">details</a>
<span class="sub">${time(i.openedAt)} · <span data-field="status">${status}</span>${i.flapping ? ' · flapping' : ''}</span>
${i.acknowledgedAt ? html`<span class="sub ack">acknowledged by ${i.acknowledgedBy ?? '?'} at ${time(i.acknowledgedAt)}${i.acknowledgeNote ? html`: ${i.acknowledgeNote}` : ''}</span>` : ''}
${actions && ctx.canWrite && i.resolvedAt === null ? html`<span class="actions">${i.acknowledgedAt ? '' : acknowledgeButton(ctx, i.id, '/dashboard')}${quickSilence(ctx, i.id, '/dashboard')}</span>` : ''}`;
}

/** The incident's own page (the one alerts link to: `<publicUrl>/dashboard/incidents/<id>`). */
export const incidentPath = (id: string): string => `/dashboard/incidents/${encodeURIComponent(id)}`;

/** "Acknowledge" for an open incident: stops its reminders; later alerts say who took it. */
export function acknowledgeButton(ctx: PageContext, id: string, back: string): Html {
  return html`<form class="inline" method="post" action="${withToken(`/dashboard/actions/incidents/${encodeURIComponent(id)}/acknowledge`, ctx)}">
<input type="hidden" name="back" value="${back}"><button type="submit">Acknowledge</button></form>`;
}

/** "Silence 1h" for one incident (or probe), as a form that works without script. */
export function quickSilence(ctx: PageContext, target: string, back: string): Html {
  return html`<form class="inline" method="post" action="${withToken('/dashboard/actions/silences', ctx)}">
<input type="hidden" name="target" value="${target}"><input type="hidden" name="duration" value="1h">
<input type="hidden" name="back" value="${back}"><button type="submit">Silence 1h</button></form>`;
}

export function silencesTable(ctx: PageContext, silences: readonly Silence[], back: string): Html {
  if (silences.length === 0) return html`<p class="muted" id="no-silences">No active silences.</p>`;
  return html`<div class="table-wrap"><table id="silences">
<thead><tr><th>Silenced</th><th>Until</th><th>Reason</th>${ctx.canWrite ? html`<th></th>` : ''}</tr></thead>
<tbody>${silences.map(
    (
      s,
    ) => html`<tr data-silence="${s.id}"><td>${s.target}<span class="sub">from ${time(s.startsAt)}${s.createdBy ? html` by ${s.createdBy}` : ''}</span></td>
<td>${time(s.endsAt)}</td><td>${s.reason ?? '—'}</td>
${ctx.canWrite ? html`<td><form class="inline" method="post" action="${withToken(`/dashboard/actions/silences/${encodeURIComponent(s.id)}/expire`, ctx)}"><input type="hidden" name="back" value="${back}"><button type="submit">Expire</button></form></td>` : ''}</tr>`,
  )}</tbody></table></div>`;
}

export function silenceForm(ctx: PageContext, t: SilenceTargets, chosen: string, back: string): Html {
  const group = (label: string, values: string[]) =>
    values.length === 0
      ? ''
      : html`<optgroup label="${label}">${values.map((v) => html`<option value="${v}"${v === chosen ? html` selected` : ''}>${v}</option>`)}</optgroup>`;
  return html`<form class="inline-create" method="post" action="${withToken('/dashboard/actions/silences', ctx)}" id="silence-form">
<input type="hidden" name="back" value="${back}">
<label>Silence<select name="target" required>${group('Probes', t.probes)}${group('Providers', t.providers)}${group('Services', t.services)}${group('Regions', t.regions)}</select></label>
<label>For<select name="duration">${SILENCE_DURATIONS.map((d) => html`<option value="${d}"${d === '1h' ? html` selected` : ''}>${d}</option>`)}</select></label>
<label>Reason<input type="text" name="reason" maxlength="200" placeholder="deploy, known outage…"></label>
<button type="submit" class="primary">Create silence</button>
</form>`;
}

/** What each provider with a status page declares, in the words alerts and `vigil status` use. */
function declarationsCard(view: DashboardView): Html | string {
  if (view.declarations.length === 0) return '';
  return html`<section aria-labelledby="declared-h">
<h2 id="declared-h">Provider status pages <span class="sub">the provider's word, not our measurement</span></h2>
<div class="card"><ul class="declared" id="declared">${view.declarations.map(
    (d) =>
      html`<li data-provider="${d.key}"${d.items.length > 0 ? html` class="declaring"` : ''}>${declarationText(d, view.at)}${d.pageUrl ? html` <a href="${d.pageUrl}" rel="noopener noreferrer nofollow">status page</a>` : ''}</li>`,
  )}</ul></div>
</section>`;
}
