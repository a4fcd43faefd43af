import type { CurrentState } from '@vigil/evaluation';
import { html, type Html } from '../../html.js';

/** 2025-03-03 10:04 UTC */
export const when = (at: number | Date | null): string =>
  at === null ? '—' : new Date(at).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';

/** A time as a <time> element (the script rewrites nothing: UTC for everyone on call). */
export const time = (at: number | Date | null): Html =>
  at === null
    ? html`<span class="muted">—</span>`
    : html`<time datetime="${new Date(at).toISOString()}">${when(at)}</time>`;

export const ms = (v: number | null): string => (v === null ? '—' : `${Math.round(v)} ms`);

const STATE_TEXT: Record<CurrentState, string> = {
  up: 'up',
  degraded: 'degraded',
  down: 'down',
  no_data: 'no data',
  maintenance: 'maintenance',
  config: 'config problem',
  unknown: 'unknown',
};

export const stateText = (s: string): string => STATE_TEXT[s as CurrentState] ?? s;

export const stateBadge = (s: string, attrs: { field?: boolean } = {}): Html =>
  html`<span class="state state-${s}"${attrs.field ? html` data-field="state"` : ''}>${stateText(s)}</span>`;

/** 1h 5m, 3d 2h */
export function span(fromMs: number, toMs: number): string {
  const m = Math.max(0, Math.round((toMs - fromMs) / 60_000));
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h ${m % 60}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}
