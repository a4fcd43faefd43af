import {
  initialIncidentState,
  VERDICTS,
  type EpochMs,
  type ErrorClass,
  type IncidentKind,
  type IncidentScope,
  type IncidentState,
  type SlotVerdict,
} from '@vigil/core';

/** A judged slot as stored in state: [at, durationMs, verdict index in VERDICTS, latency ms or null]. */
export type PackedSlot = [EpochMs, number, number, number | null];

export type TrackKind = 'down' | 'degraded' | 'slo_burn';

/** A probe's memory between ticks. */
export interface ProbeState {
  /** the next slot to judge: every slot before it is judged */
  next: EpochMs;
  /** the first slot the evaluator judged (recomputing an hour starts no earlier) */
  first: EpochMs;
  recent: PackedSlot[];
  tracks: Record<TrackKind, IncidentState>;
  /** what the last judged slot saw, for alerts */
  last: { failingRegions: string[]; errorClass: ErrorClass | null; message: string | null } | null;
}

/** A provider's or service's memory: slots combined from its parts up to `closed`. */
export interface AggregateState {
  /** combined (and rolled up) up to here */
  closed: EpochMs;
  /** the next grid slot to feed the incident tracks */
  grid: EpochMs;
  recent: PackedSlot[];
  tracks: Record<Exclude<TrackKind, 'degraded'>, IncidentState>;
}

/** Region self-check and grouping memory. */
export interface MonitorMemory {
  /** region → instant from which its results are excluded (an open monitor incident) */
  unhealthySince: Record<string, EpochMs>;
  /** closed exclusion intervals still inside the recent past, per region */
  past: { region: string; from: EpochMs; to: EpochMs }[];
  /** probe id → provider whose incident it is attached to */
  attached: Record<string, string>;
  /** provider → service whose incident it is attached to */
  attachedProviders: Record<string, string>;
  /** region → the slots of its `overloaded` results in the current episode (overload.ts); absent: none */
  overload?: Record<string, { from: EpochMs; to: EpochMs }>;
}

export const MONITOR_SUBJECT = 'monitor';
export const probeSubject = (id: string) => `probe:${id}`;
export const providerSubject = (name: string) => `provider:${name}`;
export const serviceSubject = (name: string) => `service:${name}`;

export function pack(s: SlotVerdict): PackedSlot {
  return [s.at, s.durationMs, VERDICTS.indexOf(s.verdict), s.latencyMs ?? null];
}

export function unpack(p: PackedSlot): SlotVerdict {
  return { at: p[0], durationMs: p[1], verdict: VERDICTS[p[2]] ?? 'no_data', latencyMs: p[3] };
}

/** Keeps the slots ending after `from`. */
export function trimRecent(recent: PackedSlot[], from: EpochMs): PackedSlot[] {
  let i = 0;
  while (i < recent.length && recent[i]![0] + recent[i]![1] <= from) i++;
  return i === 0 ? recent : recent.slice(i);
}

export function newProbeState(id: string, first: EpochMs): ProbeState {
  return {
    next: first,
    first,
    recent: [],
    tracks: {
      down: initialIncidentState('probe', id, 'down'),
      degraded: initialIncidentState('probe', id, 'degraded'),
      slo_burn: initialIncidentState('probe', id, 'slo_burn'),
    },
    last: null,
  };
}

export function newAggregateState(
  scope: Extract<IncidentScope, 'provider' | 'service'>,
  key: string,
  at: EpochMs,
): AggregateState {
  return {
    closed: at,
    grid: at,
    recent: [],
    tracks: {
      down: initialIncidentState(scope, key, 'down'),
      slo_burn: initialIncidentState(scope, key, 'slo_burn'),
    },
  };
}

export function newMonitorMemory(): MonitorMemory {
  return { unhealthySince: {}, past: [], attached: {}, attachedProviders: {} };
}

export function trackKey(scope: IncidentScope, key: string, kind: IncidentKind): string {
  return `${scope}:${key}:${kind}`;
}

/** The slots ending after `from`, unpacked (recent is in time order, so only the tail is read). */
export function recentSince(recent: readonly PackedSlot[], from: EpochMs): SlotVerdict[] {
  let i = recent.length;
  while (i > 0 && recent[i - 1]![0] + recent[i - 1]![1] > from) i--;
  return recent.slice(i).map(unpack);
}
