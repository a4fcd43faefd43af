import { DateTime } from 'luxon';
import type { AvailabilityStatus } from '@vigil/core';
import type { LatencyStatus } from './types.js';

/** Availability as a percentage, truncated (never rounded up) so a miss never prints as the target. */
export function pct(a: number | null, digits = 3): string {
  if (a === null) return 'n/a';
  if (a >= 1) return '100%';
  const f = 10 ** digits;
  return `${(Math.floor(a * 100 * f + 1e-6) / f).toFixed(digits)}%`;
}

/** Availability as it should read: never a percentage when the data does not support one. */
export function availabilityText(a: number | null, status: AvailabilityStatus, coverage: number): string {
  return status === 'insufficient_data'
    ? `insufficient data (${Math.floor(coverage * 100)}% coverage)`
    : pct(a);
}

/** The short form for narrow cells. */
export function availabilityShort(f: { availability: number | null; status: AvailabilityStatus }): string {
  return f.status === 'insufficient_data' ? 'insufficient' : pct(f.availability);
}

/** A rate (error rate, share) as a rounded percentage. */
export function rate(r: number | null, digits = 2): string {
  return r === null ? 'n/a' : `${(r * 100).toFixed(digits)}%`;
}

export function targetPct(t: number): string {
  return `${Number((t * 100).toFixed(3))}%`;
}

export function ms(v: number | null): string {
  return v === null ? 'n/a' : `${Math.round(v)} ms`;
}

export function duration(v: number | null): string {
  if (v === null) return 'n/a';
  if (v === 0) return '0 min';
  const neg = v < 0 ? '-' : '';
  const a = Math.abs(v);
  if (a < 60_000) return `${neg}${Math.round(a / 1000)} s`;
  const totalMin = Math.round(a / 60_000);
  if (totalMin < 60) return `${neg}${totalMin} min`;
  const h = Math.floor(totalMin / 60);
  const m = totalMin % 60;
  if (h < 24) return `${neg}${h} h ${String(m).padStart(2, '0')} min`;
  return `${neg}${Math.floor(h / 24)} d ${h % 24} h`;
}

export function statusLabel(s: AvailabilityStatus): string {
  return s === 'met' ? 'met' : s === 'missed' ? 'missed' : 'insufficient data';
}

export function latencyLabel(s: LatencyStatus): string {
  return s === 'insufficient_data' ? 'insufficient data' : s;
}

/** `▲ +0.120 pp` / `▼ -1.500 pp` / `= 0 pp`; arrows show direction, not whether it is good. */
export function arrow(delta: number | null, unit: string, digits = 3): string {
  if (delta === null) return '—';
  const rounded = Number(delta.toFixed(digits));
  if (rounded === 0) return `= 0${unit}`;
  return `${rounded > 0 ? '▲ +' : '▼ '}${rounded.toFixed(digits)}${unit}`;
}

export function dateTime(at: number, tz: string): string {
  return DateTime.fromMillis(at, { zone: tz }).toFormat('ccc d LLL yyyy HH:mm');
}

export function shortDateTime(at: number, tz: string): string {
  return DateTime.fromMillis(at, { zone: tz }).toFormat('d LLL HH:mm');
}
