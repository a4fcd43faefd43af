import { DateTime } from 'luxon';
import { nextPeriod, periodOf, summarizeTimes, type Period, type VerdictTimes } from '@vigil/core';
import type { ContractSla, SlaWindow } from './types.js';

/**
 * The SLA's calendar windows (months or quarters in the SLA's zone, else the report's) that overlap the
 * period, oldest first: a quarterly report has three monthly windows, a weekly one usually one (two when
 * the week crosses a month's end).
 */
export function slaWindows(sla: ContractSla, period: Period): Period[] {
  const tz = sla.tz ?? period.tz;
  const out: Period[] = [];
  for (let w = periodOf(sla.window, period.from, tz); w.from < period.to; w = nextPeriod(w)) out.push(w);
  return out;
}

/** The credit an availability earns: the worst tier it falls under, 0 when none does. */
export function slaCredit(sla: Pick<ContractSla, 'credits'>, availability: number): number {
  let credit = 0;
  for (const t of sla.credits) if (availability < t.below) credit = Math.max(credit, t.credit);
  return credit;
}

/**
 * One window judged from the provider's verdict times over `from .. measuredTo` (time without data in
 * it counts against coverage, as the report's own target does: below 90% nothing is judged).
 */
export function judgeSlaWindow(
  sla: ContractSla,
  w: Period,
  measuredTo: number,
  times: VerdictTimes,
): SlaWindow {
  const a = summarizeTimes(times, Math.max(0, measuredTo - w.from), sla.target);
  const status =
    a.status === 'insufficient_data' ? 'insufficient_data' : a.status === 'met' ? 'met' : 'breached';
  return {
    key: w.key,
    label: windowLabel(w),
    from: w.from,
    to: w.to,
    measuredTo,
    complete: measuredTo >= w.to,
    availability: a.availability,
    coverage: a.coverage,
    downMs: a.downMs,
    status,
    credit: status === 'insufficient_data' || a.availability === null ? null : slaCredit(sla, a.availability),
  };
}

function windowLabel(w: Period): string {
  const a = DateTime.fromMillis(w.from, { zone: w.tz });
  return w.kind === 'quarter' ? `Q${a.quarter} ${a.year}` : a.toFormat('LLLL yyyy');
}

const pctOf = (f: number) => `${Number((f * 100).toFixed(3))}%`;

/** "99.9% per month, credits 10% below 99.9%, 25% below 99%": the terms as configured. */
export function slaTermsText(sla: ContractSla): string {
  const tiers = sla.credits.map((t) => `${pctOf(t.credit)} below ${pctOf(t.below)}`).join(', ');
  return `${pctOf(sla.target)} per ${sla.window}${tiers ? `, credits ${tiers}` : ''}`;
}

/**
 * The verdict of a window as every renderer prints it: "SLA met", "SLA breached — credit claimable:
 * 10%", "insufficient data (40% coverage)", and for a window still running "on track so far" or
 * "breached so far — 10% credit if it ends so".
 */
export function slaVerdictText(w: SlaWindow): string {
  if (w.status === 'insufficient_data')
    return `insufficient data (${Math.floor(w.coverage * 100)}% coverage)`;
  if (w.status === 'met') return w.complete ? 'SLA met' : 'on track so far';
  const credit = w.credit ?? 0;
  if (!w.complete)
    return credit > 0 ? `breached so far — ${pctOf(credit)} credit if it ends so` : 'breached so far';
  return credit > 0
    ? `SLA breached — credit claimable: ${pctOf(credit)}`
    : 'SLA breached — no credit tier applies';
}
