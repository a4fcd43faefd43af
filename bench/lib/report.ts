import type { KeyValue, Row } from '../sections/types.js';

export interface Target {
  name: string;
  key: string;
  /** e.g. `≥ 1.3` */
  want: string;
  ok: (v: number) => boolean;
}

export const TARGETS: Target[] = [
  { name: 'throughput vs blackbox_exporter', key: 'throughput_ratio', want: '≥ 1.3', ok: (v) => v >= 1.3 },
  { name: 'CPU per 1k vs blackbox_exporter', key: 'cpu_ratio', want: '≤ 1', ok: (v) => v <= 1 },
  { name: 'slot lag p99', key: 'slot_lag_p99_ms', want: '≤ 250 ms', ok: (v) => v <= 250 },
  { name: 'missed slots', key: 'missed_slots', want: '= 0', ok: (v) => v === 0 },
  { name: 'worker RSS', key: 'worker_rss_mb', want: '≤ 300 MiB', ok: (v) => v <= 300 },
];

/** Keys several sections report, combined by taking the largest value. */
const MAX_KEYS = new Set(['worker_rss_mb']);

/** Pure: merges section keys into the JSON line (later sections win, except MAX_KEYS). */
export function mergeKeys(parts: Record<string, KeyValue>[]): Record<string, KeyValue> {
  const out: Record<string, KeyValue> = {};
  for (const p of parts)
    for (const [k, v] of Object.entries(p)) {
      const prev = out[k];
      out[k] = MAX_KEYS.has(k) && typeof prev === 'number' && typeof v === 'number' ? Math.max(prev, v) : v;
    }
  return out;
}

/** Pure: each target met (true), missed (false) or not measured (null, its key absent or null). */
export function checkTargets(
  keys: Record<string, KeyValue>,
): { target: Target; value: KeyValue; met: boolean | null }[] {
  return TARGETS.map((target) => {
    const value = keys[target.key] ?? null;
    return { target, value, met: typeof value === 'number' ? target.ok(value) : null };
  });
}

/** Pure: the readable table — one block per section, then the targets. */
export function renderTable(
  sections: { name: string; rows: Row[] }[],
  keys: Record<string, KeyValue>,
): string {
  const lines: string[][] = [];
  for (const s of sections) {
    lines.push([`[${s.name}]`, '', '']);
    for (const r of s.rows)
      lines.push([`  ${r.metric}`, fmt(r.value) + (r.unit ? ` ${r.unit}` : ''), r.note ?? '']);
  }
  lines.push(['[targets]', '', '']);
  for (const t of checkTargets(keys))
    lines.push([
      `  ${t.target.name}`,
      fmt(t.value),
      `${t.target.want}  ${t.met === null ? 'not measured' : t.met ? 'MET' : 'MISSED'}`,
    ]);
  const w0 = Math.max(...lines.map((l) => l[0]!.length));
  const w1 = Math.max(...lines.map((l) => l[1]!.length));
  return lines
    .map(([a, b, c]) => (b === '' && c === '' ? a! : `${a!.padEnd(w0)}  ${b!.padStart(w1)}  ${c}`.trimEnd()))
    .join('\n');
}

function fmt(v: KeyValue): string {
  if (v === null) return '—';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Math.round(v * 1000) / 1000);
  return String(v);
}
