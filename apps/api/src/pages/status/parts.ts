import type { Incident } from '@vigil/core';
import type { DayHistory, ScheduledMaintenance, SubjectStatus } from '@vigil/evaluation';
import { html, raw, type Html } from '../../html.js';
import { dayText, duration, iso, percent, STATE_TEXT, stateClass, targetText, timeText } from './format.js';
import type { PublicProvider, PublicService } from './model.js';

/** The colour class of one day: met the target, missed it, far below it, maintenance only, no data. */
function dayClass(d: DayHistory, target: number): string {
  if (d.availability === null) return d.excludedMs > 0 ? 'm' : 'n';
  if (d.availability >= target) return d.incidents > 0 || d.degradedMs > 0 ? 'w' : 'o';
  return d.availability >= 1 - 10 * (1 - target) ? 'w' : 'b';
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/** What a day's bar says, on hover, tap or focus, and to a screen reader. */
export function dayLabel(d: DayHistory): string {
  if (d.availability === null && d.incidents === 0 && d.excludedMs === 0 && d.downMs === 0)
    return `${dayText(d.day)}: no data`;
  const parts = [
    `${dayText(d.day)}: ${d.availability === null ? 'no data' : `${percent(d.availability)} available`}`,
  ];
  if (d.availability !== null || d.downMs > 0) parts.push(`downtime ${duration(d.downMs)}`);
  if (d.degradedMs > 0) parts.push(`degraded ${duration(d.degradedMs)}`);
  if (d.excludedMs > 0) parts.push(`maintenance ${duration(d.excludedMs)}`);
  parts.push(d.incidents === 0 ? 'no incidents' : plural(d.incidents, 'incident'));
  return parts.join(' · ');
}

/** A day with something to tell: downtime, degradation, maintenance or an incident. */
const eventful = (d: DayHistory): boolean =>
  d.downMs > 0 || d.degradedMs > 0 || d.excludedMs > 0 || d.incidents > 0;

/**
 * The daily bars, oldest first: each a list item whose text shows on hover, tap and focus (CSS only),
 * and which a screen reader reads as it walks the list. Only eventful days are tab stops, so a keyboard
 * reaches the bad days of 90 without 90 stops per service. On a phone only the last 30 days are shown.
 */
export function strip(days: readonly DayHistory[], target: number, name: string): Html {
  return html`<div class="hist"><ol class="strip" aria-label="${`${name}: availability per day, last ${days.length} days`}">${days.map(
    (d) =>
      html`<li class="${dayClass(d, target)}"${eventful(d) ? html` tabindex="0"` : ''}><span>${dayLabel(d)}</span></li>`,
  )}</ol><p class="axis" aria-hidden="true"><span class="l90">${days.length} days ago</span><span class="l30">30 days ago</span><span>Today</span></p></div>`;
}

/** A state as a coloured dot and words (colour is never the only sign). */
export const stateBadge = (s: SubjectStatus['state']): Html =>
  html`<span class="state ${stateClass(s)}">${STATE_TEXT[s]}</span>`;

function figure(label: string, a: SubjectStatus['availability24h']): Html {
  const miss = a.availability !== null && a.availability < a.target;
  return html`<div${miss ? raw(' class="miss"') : ''}><dt>${label}</dt><dd>${percent(a.availability)}${miss ? html`<span class="vh"> (below target)</span>` : ''}</dd></div>`;
}

/** Availability over 24 h, 30 days and the quarter against the target. */
export const figures = (s: SubjectStatus): Html =>
  html`<dl class="figs">${figure('24 hours', s.availability24h)}${figure('30 days', s.availability30d)}${figure('This quarter', s.availabilityQuarter)}<div><dt>Target</dt><dd>${targetText(s.target)}</dd></div></dl>`;

export const providerList = (providers: readonly PublicProvider[], mode: 'any' | 'all'): Html =>
  html`<div class="provs"><p class="note">${mode === 'any' ? 'Up while any provider is up' : 'Up while every provider is up'}:</p><ul>${providers.map(
    (p) =>
      html`<li><span class="pname">${p.id}</span> ${stateBadge(p.state)}${p.declares ? html`<span class="declares">Its status page declares: ${p.declares.url ? html`<a href="${p.declares.url}" rel="noopener nofollow">${p.declares.text}</a>` : p.declares.text}</span>` : ''}</li>`,
  )}</ul></div>`;

/** One service: name, state, figures, the 90-day strip, its providers. */
export function serviceCard(s: PublicService, o: { link: boolean; heading: 'h3' | 'h1' }): Html {
  const name = o.link ? html`<a href="/services/${encodeURIComponent(s.id)}">${s.name}</a>` : html`${s.name}`;
  const head =
    o.heading === 'h1' ? html`<h1 class="sname">${name}</h1>` : html`<h3 class="sname">${name}</h3>`;
  return html`<section class="svc" aria-label="${s.name}"><div class="shead">${head}${stateBadge(s.status.state)}</div>${figures(s.status)}${strip(s.history.days, s.status.target, s.name)}${s.providers ? providerList(s.providers, s.mode) : ''}</section>`;
}

const KIND_TEXT: Record<string, string> = { down: 'down', degraded: 'degraded' };

/** An incident as the public reads it: whose, what, since when, for how long (no probe details). */
export function incidentItem(i: Incident, names: Map<string, string>, now: number): Html {
  const who = names.get(`${i.scope}:${i.key}`) ?? i.key;
  const opened = i.openedAt.getTime();
  const end = i.resolvedAt?.getTime() ?? null;
  return html`<li class="inc ${i.kind === 'down' ? 'bad' : 'warn'}"><p class="ititle"><strong>${who}</strong> ${i.scope === 'provider' ? '(provider) ' : ''}${KIND_TEXT[i.kind] ?? i.kind}</p><p class="iwhen"><time datetime="${iso(opened)}">${timeText(opened)}</time>${end === null ? html` · ongoing for ${duration(now - opened)}` : html` – <time datetime="${iso(end)}">${timeText(end)}</time> · lasted ${duration(end - opened)}`}</p></li>`;
}

export function incidentSection(
  title: string,
  list: readonly Incident[],
  names: Map<string, string>,
  now: number,
  empty: string,
): Html {
  return html`<section class="block" aria-labelledby="${slug(title)}"><h2 id="${slug(title)}">${title}</h2>${
    list.length === 0
      ? html`<p class="empty">${empty}</p>`
      : html`<ul class="incs">${list.map((i) => incidentItem(i, names, now))}</ul>`
  }</section>`;
}

export function maintenanceSection(list: readonly ScheduledMaintenance[], names: Map<string, string>): Html {
  return html`<section class="block" aria-labelledby="maint"><h2 id="maint">Scheduled maintenance</h2>${
    list.length === 0
      ? html`<p class="empty">No maintenance scheduled in the next 14 days.</p>`
      : html`<ul class="incs">${list.map(
          (m) =>
            html`<li class="inc maint"><p class="ititle"><strong>${m.reason ?? m.id}</strong>${m.active ? html` <span class="state maint">Under way</span>` : ''}</p><p class="iwhen"><time datetime="${iso(m.from)}">${timeText(m.from)}</time> – <time datetime="${iso(m.to)}">${timeText(m.to)}</time> · ${m.services.map((s) => names.get(`service:${s}`) ?? s).join(', ')}</p></li>`,
        )}</ul>`
  }</section>`;
}

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-');
