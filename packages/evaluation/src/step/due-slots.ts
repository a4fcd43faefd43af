import {
  evaluateSlot,
  isConfigProblem,
  slotIsDue,
  type EpochMs,
  type ErrorClass,
  type RegionOutcome,
  type SlotResult,
  type SlotVerdict,
} from '@vigil/core';
import type { SlotGrid } from './schedule.js';

/** A judged slot plus what the alert needs to say about it. */
export interface JudgedSlot extends SlotVerdict {
  failingRegions: string[];
  message: string | null;
}

export interface CloseContext {
  grid: SlotGrid;
  regions: readonly string[];
  latencyThresholdMs: number;
  /** failing regions needed for `down`; core's default quorum when absent */
  quorum?: number;
  graceMs: number;
  /** inside a maintenance window */
  excluded(at: EpochMs): boolean;
  /** regions the self-check excludes at this instant */
  unhealthy(at: EpochMs): readonly string[];
}

/**
 * A result the worker marked `overloaded`: its run overlapped a stall of the worker's own event loop or
 * started after its slot ended, so its latency or timeout is the monitor's, never the provider's.
 */
export function isOverloaded(r: { errorClass?: ErrorClass | null }): boolean {
  return r.errorClass === 'overloaded';
}

/**
 * Judges, in slot order from `next`, every slot that is due at `now` (all expected regions reported, or
 * its end plus grace passed: then missing regions are no data), stopping at the first slot still open.
 * Pure. Results off the grid (an old schedule) are ignored; an `overloaded` result makes its region
 * reported but no data (isOverloaded).
 */
export function closeDueSlots(
  ctx: CloseContext,
  next: EpochMs,
  results: readonly SlotResult[],
  now: EpochMs,
  maxSlots: number,
): { slots: JudgedSlot[]; next: EpochMs } {
  const bySlot = new Map<EpochMs, SlotResult[]>();
  for (const r of results) {
    const list = bySlot.get(r.slotAt);
    if (list) list.push(r);
    else bySlot.set(r.slotAt, [r]);
  }
  const slots: JudgedSlot[] = [];
  let at = ctx.grid.ceil(next);
  while (slots.length < maxSlots && at <= now) {
    const end = ctx.grid.next(at);
    const rows = (bySlot.get(at) ?? []).filter((r) => ctx.regions.includes(r.region));
    const unhealthy = ctx.unhealthy(at);
    const expected = ctx.regions.filter((r) => !unhealthy.includes(r));
    const reported = new Set(rows.filter((r) => !unhealthy.includes(r.region)).map((r) => r.region)).size;
    if (!slotIsDue({ at, durationMs: end - at }, reported, expected.length, ctx.graceMs, now)) break;
    // a run the monitor itself slowed reported, but says nothing about the target: no data for its region
    const counted = rows.filter((r) => !isOverloaded(r));
    const outcomes: RegionOutcome[] = counted.map((r) => ({
      region: r.region,
      outcome: r.outcome,
      latencyMs: r.totalMs,
      errorClass: r.errorClass,
      phases: { dnsMs: r.dnsMs, connectMs: r.connectMs, tlsMs: r.tlsMs, ttfbMs: r.ttfbMs },
    }));
    const quorum = ctx.quorum === undefined ? undefined : Math.max(1, Math.min(ctx.quorum, expected.length));
    const slot = evaluateSlot({
      at,
      durationMs: end - at,
      results: outcomes,
      regionsExpected: ctx.regions,
      ...(quorum === undefined ? {} : { quorum }),
      latencyThresholdMs: ctx.latencyThresholdMs,
      excluded: ctx.excluded(at),
      unhealthyRegions: unhealthy,
    });
    const failing = counted
      .filter((r) => r.outcome !== 'up' && !isConfigProblem(r) && !unhealthy.includes(r.region))
      .sort((a, b) => a.region.localeCompare(b.region));
    slots.push({
      ...slot,
      failingRegions: failing.map((r) => r.region),
      message: failing.find((r) => r.message !== null)?.message ?? null,
    });
    at = end;
  }
  return { slots, next: at };
}
