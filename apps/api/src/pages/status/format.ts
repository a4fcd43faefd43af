import type { CurrentState } from '@vigil/evaluation';

/** `99.95%`: floored to two decimals, so a day with any downtime never reads 100%. */
export function percent(ratio: number | null): string {
  if (ratio === null) return 'no data';
  if (ratio >= 1) return '100%';
  return `${(Math.floor(ratio * 10_000) / 100).toFixed(2)}%`;
}

/** A target as written in vigil.yaml: `99.9%`. */
export const targetText = (t: number): string => `${Number((t * 100).toFixed(3))}%`;

/** `2 h 5 min`, `45 min`, `30 s`; `none` for zero. */
export function duration(ms: number): string {
  if (ms <= 0) return 'none';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 === 0 ? `${h} h` : `${h} h ${m % 60} min`;
  const d = Math.floor(h / 24);
  return h % 24 === 0 ? `${d} d` : `${d} d ${h % 24} h`;
}

const DAY = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'UTC',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
});
const TIME = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'UTC',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** `3 Mar 2025` (a UTC day). */
export const dayText = (at: number): string => DAY.format(at);
/** `3 Mar 2025, 10:05 UTC`. */
export const timeText = (at: number): string => `${TIME.format(at)} UTC`;
/** an ISO instant for `<time datetime>` */
export const iso = (at: number): string => new Date(at).toISOString();

/** What a visitor reads for a state. */
export const STATE_TEXT: Record<CurrentState, string> = {
  up: 'Operational',
  degraded: 'Degraded',
  down: 'Down',
  maintenance: 'Maintenance',
  no_data: 'No data',
  config: 'Not monitored',
  unknown: 'No data yet',
};

/** The CSS class of a state's colour. */
export const stateClass = (s: CurrentState): string =>
  s === 'up'
    ? 'ok'
    : s === 'degraded'
      ? 'warn'
      : s === 'down'
        ? 'bad'
        : s === 'maintenance'
          ? 'maint'
          : 'none';
