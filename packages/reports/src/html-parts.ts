import type { AvailabilityStatus } from '@vigil/core';
import type { DayCell, LatencyStatus, ReportColumn } from './types.js';

/** Escapes text for HTML content and attribute values. */
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export const FONT = "font-family:'Segoe UI',Helvetica,Arial,sans-serif;";
export const MUTED = '#6b7280';
export const LINE = '#e5e7eb';

export const STATUS_COLOR: Record<AvailabilityStatus, string> = {
  met: '#15803d',
  missed: '#b91c1c',
  insufficient_data: '#6b7280',
};
const STATUS_BG: Record<AvailabilityStatus, string> = {
  met: '#dcfce7',
  missed: '#fee2e2',
  insufficient_data: '#f3f4f6',
};

export function badge(text: string, status: AvailabilityStatus): string {
  return `<span style="display:inline-block;padding:1px 6px;border-radius:3px;font-size:11px;font-weight:600;background:${STATUS_BG[status]};color:${STATUS_COLOR[status]};">${esc(text)}</span>`;
}

export function tag(text: string, color: string): string {
  return `<span style="display:inline-block;padding:0 4px;border:1px solid ${color};border-radius:3px;font-size:10px;color:${color};">${esc(text)}</span>`;
}

function dayColor(d: DayCell): string {
  if (d.status === 'insufficient_data') return '#d1d5db';
  if (d.status === 'missed') return '#dc2626';
  return d.availability === 1 ? '#16a34a' : '#86c98f';
}

/** How many cells `strip` draws: one per day, or one per run of equal days when `merge`. */
export function stripCells(days: readonly DayCell[], merge: boolean): number {
  if (!merge) return days.length;
  let n = 0;
  for (let i = 0; i < days.length; i++) if (i === 0 || dayColor(days[i]!) !== dayColor(days[i - 1]!)) n++;
  return n;
}

/**
 * A row of coloured table cells, one per day: renders in Gmail and Outlook without images. With
 * `labels` every day is its own cell under its label; without, runs of equal days share one cell.
 */
export function strip(
  days: readonly DayCell[],
  cols: readonly ReportColumn[],
  height: number,
  labels: boolean,
): string {
  const w = 100 / Math.max(1, days.length);
  const runs: { color: string; n: number }[] = [];
  for (const d of days) {
    const color = dayColor(d);
    const last = runs[runs.length - 1];
    if (!labels && last && last.color === color) last.n++;
    else runs.push({ color, n: 1 });
  }
  // the height and the zero font size sit on the row: a cell is its width and colour (~45 bytes)
  const cells = runs
    .map((r) => `<td width="${Number((w * r.n).toFixed(2))}%" bgcolor="${r.color}">&nbsp;</td>`)
    .join('');
  const labelRow = labels
    ? `<tr>${cols.map((l) => `<td align="center" style="font-size:9px;color:${MUTED};padding-top:2px;">${esc(l.label)}</td>`).join('')}</tr>`
    : '';
  return `<table role="presentation" width="100%" cellpadding="0" cellspacing="${labels ? 1 : 0}" border="0" style="table-layout:fixed;"><tr height="${height}" style="height:${height}px;font-size:0;line-height:0;">${cells}</tr>${labelRow}</table>`;
}

const LAT_COLOR: Record<LatencyStatus, string> = {
  optimal: '#3b82f6',
  ok: '#f59e0b',
  slow: '#dc2626',
  insufficient_data: '#d1d5db',
};

/** Daily p95 as bottom-aligned bars of table cells; the colour says optimal / acceptable / slow. */
export function latencyBars(values: readonly (number | null)[], thresholdMs: number, height = 28): string {
  const max = Math.max(thresholdMs, ...values.map((v) => v ?? 0));
  const w = (100 / Math.max(1, values.length)).toFixed(3);
  const cells = values
    .map((v) => {
      const hpx = v === null ? 1 : Math.max(2, Math.round((v / max) * height));
      const status: LatencyStatus =
        v === null ? 'insufficient_data' : v < 300 ? 'optimal' : v < thresholdMs ? 'ok' : 'slow';
      const title = v === null ? 'no data' : `p95 ${Math.round(v)} ms`;
      return `<td width="${w}%" valign="bottom" height="${height}" style="height:${height}px;" title="${esc(title)}"><table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0"><tr><td height="${hpx}" bgcolor="${LAT_COLOR[status]}" style="height:${hpx}px;font-size:0;line-height:0;">&nbsp;</td></tr></table></td>`;
    })
    .join('');
  return `<table role="presentation" width="100%" cellpadding="0" cellspacing="1" border="0" style="table-layout:fixed;"><tr>${cells}</tr></table>`;
}

export const PHASE_COLORS = { dns: '#a78bfa', connect: '#60a5fa', tls: '#34d399', ttfb: '#fbbf24' } as const;

/** A horizontal stacked bar: each segment's width is its share of `scaleMs`. */
export function stackedBar(
  parts: readonly { ms: number; color: string; label: string }[],
  scaleMs: number,
): string {
  const used = parts.filter((p) => p.ms > 0);
  const total = used.reduce((s, p) => s + p.ms, 0);
  const cells = used
    .map((p) => {
      const w = Math.max(1, Math.round((p.ms / scaleMs) * 100));
      return `<td width="${w}%" height="12" bgcolor="${p.color}" title="${esc(`${p.label} ${Math.round(p.ms)} ms`)}" style="height:12px;font-size:0;line-height:0;">&nbsp;</td>`;
    })
    .join('');
  const rest = Math.max(0, 100 - Math.round((total / scaleMs) * 100));
  const filler = rest > 0 ? `<td width="${rest}%" style="font-size:0;line-height:0;">&nbsp;</td>` : '';
  return `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="table-layout:fixed;"><tr>${cells}${filler}</tr></table>`;
}
