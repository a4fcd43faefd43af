import type { Period } from '@vigil/core';
import { targetPct } from './format.js';
import type { ReportModel } from './types.js';

/** e.g. `Vigil weekly uptime 2026-W47: 11/12 APIs met 98%`. */
export function reportSubject(m: ReportModel): string {
  const h = m.headline;
  const target = h.commonTarget === null ? 'their targets' : targetPct(h.commonTarget);
  const nodata = h.insufficient > 0 ? ` (${h.insufficient} with insufficient data)` : '';
  return `Vigil ${m.kind} uptime ${m.period.key}: ${h.met}/${h.apis} APIs met ${target}${nodata}`;
}

/** `<report>-<period key>`, safe as a file name: `weekly-2026-W47`. */
export function reportFileStem(name: string, period: Period): string {
  const safe = name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '') || 'report';
  return `${safe}-${period.key}`;
}

/**
 * The web version of a period's report, served by apps/api: `<publicUrl>/api/v1/reports/<period key>?format=html`
 * (`publicUrl` as vigil.yaml `api.publicUrl` gives it, without a trailing slash).
 */
export function reportWebUrl(publicUrl: string, period: Period): string {
  return `${publicUrl.replace(/\/+$/, '')}/api/v1/reports/${encodeURIComponent(period.key)}?format=html`;
}
