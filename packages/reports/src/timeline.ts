import { HOUR_MS, overlapMs, type HourlyRollup, type TimeWindow, type VerdictTimes } from '@vigil/core';
import { emptyTimes } from './acc.js';

/**
 * Hour-by-hour verdict times of a provider or service, as 6 amounts per hour in this order (float32:
 * whole milliseconds of an hour, even summed, stay below 2^24 and so exact):
 * up (not degraded), degraded, no data (incl. time no slot covers), rate limited, down, excluded.
 */
export type HourAmounts = Float32Array;
const B = 6;
/** Precedence of core's combineVerdicts, the first present wins; excluded only when all parts are. */
const ORDER = { any: [0, 1, 2, 3, 4, 5], all: [4, 2, 3, 1, 0, 5] } as const;

/** Whole UTC hours covering [from, to). */
export interface HourGrid {
  from: number;
  n: number;
}

export function hourGrid(w: TimeWindow): HourGrid {
  const from = Math.floor(w.from / HOUR_MS) * HOUR_MS;
  return { from, n: Math.max(0, Math.ceil((w.to - from) / HOUR_MS)) };
}

/** A rollup's hour as amounts; `undefined` (no rollup) is an hour of no data. */
export function writeAmounts(out: HourAmounts, h: number, r: VerdictTimes | undefined): void {
  const o = h * B;
  if (!r) {
    out.fill(0, o, o + B);
    out[o + 2] = HOUR_MS;
    return;
  }
  out[o] = r.upMs - r.degradedMs;
  out[o + 1] = r.degradedMs;
  out[o + 3] = r.rateLimitedMs;
  out[o + 4] = r.downMs;
  out[o + 5] = r.excludedMs;
  out[o + 2] = Math.max(0, HOUR_MS - r.upMs - r.rateLimitedMs - r.downMs - r.excludedMs);
}

/** Dense amounts of one rollup series on a grid (missing hours are no data). */
export function amountsOf(rollups: readonly HourlyRollup[], grid: HourGrid): HourAmounts {
  const out = new Float32Array(grid.n * B);
  const dense: (HourlyRollup | undefined)[] = new Array<HourlyRollup | undefined>(grid.n);
  for (const r of rollups) {
    const h = (r.hourStart - grid.from) / HOUR_MS;
    if (h >= 0 && h < grid.n && Number.isInteger(h)) dense[h] = r;
  }
  for (let h = 0; h < grid.n; h++) writeAmounts(out, h, dense[h]);
  return out;
}

/**
 * Combines parts hour by hour as if, inside each hour, every part's verdicts were laid out in
 * precedence order (outages overlap as much as possible): exact whenever the parts' bad times nest,
 * e.g. one outage seen by every probe of a provider. The running maximum of each part's cumulative
 * amounts in precedence order is then the combined verdict's cumulative amount.
 */
export class Combiner {
  private readonly cum: Float32Array;
  private parts = 0;
  constructor(
    private readonly n: number,
    private readonly mode: 'any' | 'all',
  ) {
    this.cum = new Float32Array(n * B);
  }

  add(a: HourAmounts): void {
    const order = ORDER[this.mode];
    const cum = this.cum;
    for (let h = 0; h < this.n; h++) {
      const o = h * B;
      let c = 0;
      for (let k = 0; k < B; k++) {
        c += a[o + order[k]!]!;
        if (c > cum[o + k]!) cum[o + k] = c;
      }
    }
    this.parts++;
  }

  get size(): number {
    return this.parts;
  }

  /** The combined amounts, converted in place: call once, the combiner is spent afterwards. */
  result(): HourAmounts {
    const order = ORDER[this.mode];
    const out = this.cum;
    const tmp = new Float64Array(B);
    for (let h = 0; h < this.n; h++) {
      const o = h * B;
      let prev = 0;
      for (let k = 0; k < B; k++) {
        tmp[order[k]!] = out[o + k]! - prev;
        prev = out[o + k]!;
      }
      out.set(tmp, o);
      if (this.parts === 0) out[o + 2] = HOUR_MS;
    }
    return out;
  }
}

/** Verdict times inside a window, hours only partly inside counting pro rata. */
export function windowTimes(a: HourAmounts, grid: HourGrid, w: TimeWindow): VerdictTimes {
  const t = emptyTimes();
  const first = Math.max(0, Math.floor((w.from - grid.from) / HOUR_MS));
  const last = Math.min(grid.n, Math.ceil((w.to - grid.from) / HOUR_MS));
  for (let h = first; h < last; h++) {
    const start = grid.from + h * HOUR_MS;
    const share = overlapMs(start, HOUR_MS, w) / HOUR_MS;
    if (share <= 0) continue;
    const o = h * B;
    t.upMs += (a[o]! + a[o + 1]!) * share;
    t.degradedMs += a[o + 1]! * share;
    t.noDataMs += a[o + 2]! * share;
    t.rateLimitedMs += a[o + 3]! * share;
    t.downMs += a[o + 4]! * share;
    t.excludedMs += a[o + 5]! * share;
  }
  return t;
}
