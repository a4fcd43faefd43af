import type { Incident } from '@vigil/core';
import { html, type Html } from '../../html.js';
import { span, time } from './format.js';
import { layout, withToken, type PageContext } from './layout.js';
import { incidentLine, incidentPath, SILENCE_DURATIONS } from './overview.js';

export interface IncidentPageModel {
  incident: Incident;
  /** the incidents grouped under it (readIncident's children), oldest first */
  children: Incident[];
  /** the incident it is grouped under; null when it is top-level (or the parent row is gone) */
  parent: Incident | null;
  /** the probes of the config it concerns (its own, its provider's or service's, its children's) */
  probes: { id: string; name: string }[];
  now: number;
}

/** One incident (the page alerts link to): facts, acknowledgement, its parent and children, its probes, actions. */
export function incidentPage(ctx: PageContext, m: IncidentPageModel): Html {
  const i = m.incident;
  const back = incidentPath(i.id);
  const open = i.resolvedAt === null;
  const duration = open
    ? html`<b>open</b> for ${span(i.openedAt.getTime(), m.now)}`
    : html`${span(i.openedAt.getTime(), i.resolvedAt!.getTime())}`;
  const body = html`
<p><a href="${withToken('/dashboard', ctx)}">← Dashboard</a></p>
<h1 id="incident-title">${i.title} <span class="state state-${open ? 'down' : 'up'}">${open ? 'open' : 'resolved'}</span></h1>
<p class="facts" id="incident-facts"><span>scope <b>${i.scope}</b></span><span>key <b>${i.key}</b></span><span>kind <b>${i.kind}</b></span>
<span>severity <b>${i.severity}</b></span><span>opened <b>${time(i.openedAt)}</b></span>
<span>resolved <b>${time(i.resolvedAt)}</b></span><span>duration <b>${duration}</b></span>
${i.flapping ? html`<span><b>flapping</b></span>` : ''}${i.silent ? html`<span><b>not notified</b> (grouped)</span>` : ''}</p>
<section aria-labelledby="ack-h">
<h2 id="ack-h">Acknowledgement</h2>
<div class="card" id="acknowledgement">
${
  i.acknowledgedAt
    ? html`<p class="ack">Acknowledged by <b>${i.acknowledgedBy ?? '?'}</b> at ${time(i.acknowledgedAt)}${i.acknowledgeNote ? html`: <span id="ack-note">${i.acknowledgeNote}</span>` : ''}</p>`
    : html`<p class="muted">Not acknowledged.</p>`
}
${open && ctx.canWrite && !i.acknowledgedAt ? acknowledgeForm(ctx, i.id, back) : ''}
</div>
</section>
${open && ctx.canWrite ? silenceIncidentForm(ctx, i.id, back) : ''}
<div class="grid2">
<section aria-labelledby="group-h">
<h2 id="group-h">Grouping</h2>
<div class="card">
${m.parent ? html`<p id="parent">Grouped under:</p><ol class="timeline"><li data-incident="${m.parent.id}"${m.parent.resolvedAt ? html` class="resolved"` : ''}>${incidentLine(ctx, m.parent, m.now, false)}</li></ol>` : ''}
${
  m.children.length > 0
    ? html`<p>Grouped under this one:</p><ol class="timeline" id="children">${m.children.map((c) => html`<li data-incident="${c.id}"${c.resolvedAt ? html` class="resolved"` : ''}>${incidentLine(ctx, c, m.now, false)}</li>`)}</ol>`
    : html`<p class="muted" id="no-children">No incidents grouped under this one.</p>`
}
</div>
</section>
<section aria-labelledby="probes-h">
<h2 id="probes-h">Probes</h2>
<div class="card">
${
  m.probes.length > 0
    ? html`<ul id="incident-probes">${m.probes.map((p) => html`<li><a href="${withToken(`/dashboard/probes/${encodeURIComponent(p.id)}`, ctx)}">${p.name}</a> <span class="sub">${p.id}</span></li>`)}</ul>`
    : html`<p class="muted">No probe of the config in force.</p>`
}
</div>
</section>
</div>`;
  return layout(ctx, { title: i.title, body });
}

/** Acknowledge with a note (the dashboard's acknowledge action): stops the reminders. */
function acknowledgeForm(ctx: PageContext, id: string, back: string): Html {
  return html`<form class="inline-create" method="post" action="${withToken(`/dashboard/actions/incidents/${encodeURIComponent(id)}/acknowledge`, ctx)}" id="acknowledge-form">
<input type="hidden" name="back" value="${back}">
<label>Note<input type="text" name="note" maxlength="500" placeholder="looking into it…"></label>
<button type="submit" class="primary">Acknowledge</button>
</form>`;
}

/** Silence this incident (the dashboard's silence action, the incident id as target). */
function silenceIncidentForm(ctx: PageContext, id: string, back: string): Html {
  return html`<section aria-labelledby="silence-h">
<h2 id="silence-h">Silence</h2>
<div class="card">
<form class="inline-create" method="post" action="${withToken('/dashboard/actions/silences', ctx)}" id="silence-form">
<input type="hidden" name="back" value="${back}"><input type="hidden" name="target" value="${id}">
<label>For<select name="duration">${SILENCE_DURATIONS.map((d) => html`<option value="${d}"${d === '1h' ? html` selected` : ''}>${d}</option>`)}</select></label>
<label>Reason<input type="text" name="reason" maxlength="200" placeholder="deploy, known outage…"></label>
<button type="submit" class="primary">Silence this incident</button>
</form>
</div>
</section>`;
}
