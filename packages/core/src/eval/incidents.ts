import type { EpochMs } from '../types.js';
import { DEFAULT_FLAP_POLICY, isFlapping, type FlapPolicy } from './flapping.js';
import type { Verdict } from './verdict.js';

export type IncidentScope = 'probe' | 'provider' | 'service' | 'monitor';
export type IncidentKind = 'down' | 'degraded' | 'slo_burn' | 'monitor';
export type IncidentEventType =
  'opened' | 'resolved' | 'reminder' | 'flapping_started' | 'flapping_stopped' | 'attached';

/** What the evaluator hands the notifier (through the outbox); `silent` events are recorded, not sent. */
export interface IncidentEvent {
  type: IncidentEventType;
  scope: IncidentScope;
  /** probe id, provider, service or region */
  key: string;
  kind: IncidentKind;
  at: EpochMs;
  /**
   * when the incident started: the first bad slot of the window that opened it, not the slot where M of N
   * was reached (`at` of the opened event); for resolved: duration = at - openedAt
   */
  openedAt: EpochMs | null;
  /** the provider incident a probe incident is attached to */
  parent?: string;
  silent?: boolean;
  /** e.g. the burn-rate rule (`fast` / `slow` / `ticket`) or the unhealthy region's numbers */
  detail?: Record<string, string | number>;
}

export interface IncidentPolicy {
  /** open when `m` of the last `n` judged slots are bad. @defaultValue { m: 3, n: 3 } */
  open: { m: number; n: number };
  /** resolve after this many good slots in a row. @defaultValue 2 */
  resolveAfter: number;
  /** re-notify an open incident this often; null for never. @defaultValue null */
  reminderEveryMs: number | null;
  flap: FlapPolicy;
}

export const DEFAULT_INCIDENT_POLICY: IncidentPolicy = {
  open: { m: 3, n: 3 },
  resolveAfter: 2,
  reminderEveryMs: null,
  flap: DEFAULT_FLAP_POLICY,
};

/** The state of one incident track (one scope, key and kind); plain data, store it as jsonb. */
export interface IncidentState {
  scope: IncidentScope;
  key: string;
  kind: IncidentKind;
  open: boolean;
  openedAt: EpochMs | null;
  /** judged samples, oldest first, true = bad; as long as the flap window */
  history: boolean[];
  /**
   * when each of `history`'s samples was judged (slot start), aligned to its end; absent or shorter in
   * states stored before it existed (an unknown first bad slot falls back to the opening slot)
   */
  times?: EpochMs[];
  goodInARow: number;
  flapping: boolean;
  /** whether the channels were last told the incident is open (held back while flapping) */
  notifiedOpen: boolean;
  lastNotifiedAt: EpochMs | null;
}

/** `bad`/`good` judge a slot; `skip` (no data, excluded, rate limited) leaves everything as it is. */
export type IncidentSignal = 'bad' | 'good' | 'skip';

/** A fresh, closed incident track. */
export function initialIncidentState(scope: IncidentScope, key: string, kind: IncidentKind): IncidentState {
  return {
    scope,
    key,
    kind,
    open: false,
    openedAt: null,
    history: [],
    times: [],
    goodInARow: 0,
    flapping: false,
    notifiedOpen: false,
    lastNotifiedAt: null,
  };
}

/** `down` is bad, `up` and `degraded` are good (for a `degraded` track pass `bad`/`good` from the p95 check). */
export function signalOf(verdict: Verdict | IncidentSignal): IncidentSignal {
  if (verdict === 'down' || verdict === 'bad') return 'bad';
  if (verdict === 'up' || verdict === 'degraded' || verdict === 'good') return 'good';
  return 'skip';
}

/** Feeds one judged slot into an incident track: the next state and the events to notify. */
export function nextIncidentState(
  prev: IncidentState,
  verdict: Verdict | IncidentSignal,
  policy: IncidentPolicy = DEFAULT_INCIDENT_POLICY,
  at: EpochMs,
): { state: IncidentState; events: IncidentEvent[] } {
  const signal = signalOf(verdict);
  if (signal === 'skip') return { state: prev, events: [] };
  const bad = signal === 'bad';
  const keep = Math.max(policy.flap.window, policy.open.n);
  const history = [...prev.history, bad].slice(-keep);
  const times = [...(prev.times ?? []), at].slice(-keep);
  const s: IncidentState = { ...prev, history, times, goodInARow: bad ? 0 : prev.goodInARow + 1 };
  if (!s.open && history.slice(-policy.open.n).filter(Boolean).length >= policy.open.m) {
    s.open = true;
    if (!s.notifiedOpen) s.openedAt = firstBadAt(history, times, policy.open.n, at);
  } else if (s.open && s.goodInARow >= policy.resolveAfter) {
    s.open = false;
  }
  const events: IncidentEvent[] = [];
  const event = (type: IncidentEventType): IncidentEvent => ({
    type,
    scope: s.scope,
    key: s.key,
    kind: s.kind,
    at,
    openedAt: s.openedAt,
  });
  s.flapping = isFlapping(history, prev.flapping, policy.flap);
  if (s.flapping && !prev.flapping) events.push(event('flapping_started'));
  if (!s.flapping) {
    if (s.open !== s.notifiedOpen) {
      events.push(event(s.open ? 'opened' : 'resolved'));
      s.notifiedOpen = s.open;
      s.lastNotifiedAt = at;
    } else if (
      s.open &&
      policy.reminderEveryMs !== null &&
      s.lastNotifiedAt !== null &&
      at - s.lastNotifiedAt >= policy.reminderEveryMs
    ) {
      events.push(event('reminder'));
      s.lastNotifiedAt = at;
    }
  }
  if (!s.flapping && prev.flapping) events.unshift(event('flapping_stopped'));
  if (!s.open && !s.notifiedOpen) s.openedAt = null;
  return { state: s, events };
}

/**
 * The start of the first bad slot among the last `n` samples: when the outage began, before M of N was
 * reached. `times` is aligned to the end of `history`; a sample without a time yields `fallback`.
 */
export function firstBadAt(
  history: readonly boolean[],
  times: readonly EpochMs[],
  n: number,
  fallback: EpochMs,
): EpochMs {
  const from = Math.max(0, history.length - n);
  for (let i = from; i < history.length; i++) {
    if (!history[i]) continue;
    const t = times[times.length - (history.length - i)];
    return t === undefined || i < history.length - times.length ? fallback : Math.min(t, fallback);
  }
  return fallback;
}
