import type { RouteConfig } from '@vigil/config';
import type { Severity } from '@vigil/notify';

/** vigil.yaml's route severities name what the alert severities mean. */
const SEVERITY_NAME: Record<Severity, RouteConfig['match']['severity']> = {
  page: 'critical',
  ticket: 'warning',
  info: 'info',
};

export interface Routable {
  provider: string | null;
  service: string | null;
  severity: Severity;
  labels: Readonly<Record<string, string>>;
  /** the error class of the subject's latest failure (`auth`, `timeout`, …), null when none */
  errorClass?: string | null;
}

/**
 * The channels an alert goes to: every channel when no route is configured, otherwise the channels
 * of every route whose `match` fields all hold (an empty match catches everything). Pure.
 */
export function routeChannels(
  routes: readonly RouteConfig[],
  channels: readonly string[],
  a: Routable,
): string[] {
  if (routes.length === 0) return [...channels];
  const out: string[] = [];
  for (const r of routes) {
    const m = r.match;
    const ok =
      (m.provider === undefined || m.provider === a.provider) &&
      (m.service === undefined || m.service === a.service) &&
      (m.severity === undefined || m.severity === SEVERITY_NAME[a.severity]) &&
      (m.errorClass === undefined || m.errorClass === a.errorClass) &&
      Object.entries(m.labels ?? {}).every(([k, v]) => a.labels[k] === v);
    if (ok) for (const c of r.channels) if (!out.includes(c) && channels.includes(c)) out.push(c);
  }
  return out;
}
