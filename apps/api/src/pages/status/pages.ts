import type { CurrentState } from '@vigil/evaluation';
import { html, type Html } from '../../html.js';
import { layout } from './layout.js';
import type { StatusPageModel } from './model.js';
import { incidentSection, maintenanceSection, serviceCard } from './parts.js';

/** How many resolved incidents the front page lists (the service pages list all of the window's). */
export const FRONT_PAGE_PAST = 20;

/** The banner over everything: the worst state of the shown services, in words. */
function summary(states: readonly CurrentState[]): { cls: string; text: string } {
  if (states.length === 0) return { cls: 'none', text: 'No services are published on this page yet' };
  if (states.includes('down')) return { cls: 'bad', text: 'Some services are down' };
  if (states.includes('degraded')) return { cls: 'warn', text: 'Some services are degraded' };
  if (states.includes('maintenance')) return { cls: 'maint', text: 'Maintenance is under way' };
  if (states.every((s) => s === 'up')) return { cls: 'ok', text: 'All services are operational' };
  return { cls: 'none', text: 'Some services have no data yet' };
}

/** `GET /`: every public service, then open incidents, maintenance and the incident history. */
export function overviewPage(m: StatusPageModel): Html {
  const s = summary(m.services.map((x) => x.status.state));
  const body = html`<h1 class="vh">${m.title}</h1>
<p class="banner ${s.cls}" role="status">${s.text}</p>
${m.open.length > 0 ? incidentSection('Open incidents', m.open, m.names, m.at, '') : ''}
<section class="block" aria-labelledby="services"><h2 id="services">Services</h2>
${m.services.map((x) => serviceCard(x, { link: true, heading: 'h3' }))}
</section>
${maintenanceSection(m.maintenance, m.names)}
${incidentSection('Past incidents', m.past.slice(0, FRONT_PAGE_PAST), m.names, m.at, 'No incidents in the last 90 days.')}`;
  return layout({ title: m.title, pageTitle: `${s.text} · ${m.title}`, at: m.at, body });
}

/** `GET /services/{id}`: one service with its open incidents, its maintenance and its whole history. */
export function servicePage(m: StatusPageModel): Html {
  const svc = m.services[0]!;
  const body = html`<p class="crumb"><a href="/">All services</a></p>
${serviceCard(svc, { link: false, heading: 'h1' })}
${incidentSection('Open incidents', m.open, m.names, m.at, 'No open incidents.')}
${maintenanceSection(m.maintenance, m.names)}
${incidentSection('Past incidents', m.past, m.names, m.at, 'No incidents in the last 90 days.')}`;
  return layout({ title: m.title, pageTitle: `${svc.name} · ${m.title}`, at: m.at, body });
}
