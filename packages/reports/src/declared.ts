import type { EpochMs, TimeWindow } from '@vigil/core';
import { duration } from './format.js';
import type { ProviderDeclarationReport, ReportDeclaration, ReportIncident } from './types.js';

type Span = [EpochMs, EpochMs];

/** The spans merged where they overlap or touch, sorted. */
function union(spans: readonly Span[]): Span[] {
  const sorted = [...spans].filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
  const out: Span[] = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

const total = (spans: readonly Span[]) => spans.reduce((n, [a, b]) => n + b - a, 0);

/** ms of `a` (merged spans) that `b` (merged spans) covers. */
function covered(a: readonly Span[], b: readonly Span[]): number {
  let ms = 0;
  for (const [f, t] of a) for (const [g, u] of b) ms += Math.max(0, Math.min(t, u) - Math.max(f, g));
  return ms;
}

const clip = (from: EpochMs, to: EpochMs, w: TimeWindow): Span => [
  Math.max(from, w.from),
  Math.min(to, w.to),
];

/**
 * Per provider with a status page (in `providers` order): our downtime of it in `window` — its `down`
 * incidents, an open one to the window's end, as redundancy reads them — split into the time a declared
 * incident of the provider stood and the time its status page said nothing, and how long after our
 * detection it declared (each incident's `declaredAfterMs`, from the evaluation's correlateIncident).
 * Pure arithmetic over intervals, in milliseconds.
 */
export function providerDeclarations(
  providers: readonly { provider: string; name: string }[],
  incidents: readonly ReportIncident[],
  declarations: readonly ReportDeclaration[],
  window: TimeWindow,
): ProviderDeclarationReport[] {
  return providers.map(({ provider, name }) => {
    const ours = incidents.filter(
      (i) =>
        i.scope === 'provider' &&
        i.kind === 'down' &&
        i.key === provider &&
        i.openedAt < window.to &&
        (i.resolvedAt ?? window.to) > window.from,
    );
    const down = union(ours.map((i) => clip(i.openedAt, i.resolvedAt ?? window.to, window)));
    const theirs = declarations.filter(
      (d) => d.provider === provider && d.since < window.to && (d.endedAt ?? window.to) > window.from,
    );
    const spans = (kind: ReportDeclaration['kind']) =>
      union(theirs.filter((d) => d.kind === kind).map((d) => clip(d.since, d.endedAt ?? window.to, window)));
    const declared = spans('incident');
    const downMs = total(down);
    const declaredMs = covered(down, declared);
    const delays = ours
      .map((i) => i.declaredAfterMs)
      .filter((ms): ms is number => typeof ms === 'number')
      .sort((a, b) => a - b);
    return {
      provider,
      name,
      incidents: ours.length,
      declaredIncidents: delays.length,
      downMs,
      declaredMs,
      undeclaredMs: downMs - declaredMs,
      declaredAfterMs: delays.length ? { median: median(delays), max: delays[delays.length - 1]! } : null,
      providerIncidents: theirs.filter((d) => d.kind === 'incident').length,
      maintenanceMs: total(spans('maintenance')),
    };
  });
}

function median(sorted: readonly number[]): number {
  const k = sorted.length >> 1;
  return sorted.length % 2 ? sorted[k]! : (sorted[k - 1]! + sorted[k]!) / 2;
}

/**
 * One provider's declarations as every renderer prints them: "down 1 h 50 min by our measure: 1 h 08 min
 * declared, 42 min undeclared; 2 of 3 incidents declared, median 4 min after we detected them (longest
 * 12 min)", then what the provider declared beyond.
 */
export function declarationText(r: ProviderDeclarationReport): string {
  const parts: string[] = [];
  if (r.downMs === 0) parts.push('no downtime by our measure');
  else
    parts.push(
      `down ${duration(r.downMs)} by our measure: ${duration(r.declaredMs)} declared, ${duration(r.undeclaredMs)} undeclared`,
    );
  if (r.incidents > 0) {
    const d = r.declaredAfterMs;
    parts.push(
      `${r.declaredIncidents} of ${r.incidents} incidents declared` +
        (d ? `, ${delayText(d.median, 'median ')} (longest ${delayText(d.max, '')})` : ''),
    );
  }
  const theirs = [
    r.providerIncidents ? `${r.providerIncidents} incident${r.providerIncidents > 1 ? 's' : ''}` : '',
    r.maintenanceMs ? `${duration(r.maintenanceMs)} maintenance` : '',
  ].filter(Boolean);
  parts.push(theirs.length ? `status page: ${theirs.join(', ')}` : 'status page: nothing declared');
  return parts.join('; ');
}

/** "median 4 min after we detected it", "3 min before us", "within a minute". */
function delayText(ms: number, lead: string): string {
  const min = Math.round(Math.abs(ms) / 60_000);
  if (min === 0) return `${lead}within a minute`;
  return `${lead}${duration(Math.abs(ms))} ${ms > 0 ? 'after our detection' : 'before our detection'}`;
}
