import type { VigilConfig } from '@vigil/config';
import {
  DAY_MS,
  type EpochMs,
  type IncidentKind,
  type IncidentScope,
  type Outcome,
  type Phases,
} from '@vigil/core';
import {
  getEvaluatorState,
  latestRuns,
  openIncidents,
  outboxDepth,
  unjudgedResultCount,
  type Db,
  type OutboxDepth,
} from '@vigil/db';
import { slotGrid, type SlotGrid } from '../step/schedule.js';
import { probeSubject, type ProbeState } from '../step/state.js';
import { readStatus, type StatusReport } from './status.js';

const MIN_MS = 60_000;
/** a probe's newest result counts as current for this many of its slots (at least STALE_MIN_MS) */
export const STALE_SLOTS = 3;
const STALE_MIN_MS = 5 * MIN_MS;
/** the newest-result scan reaches back at most this far (a daily cron probe: 3 days) */
const STALE_MAX_MS = 3 * DAY_MS + 60 * MIN_MS;

/** The newest result of one configured probe in one of its regions, as a scrape shows it. */
export interface LatestRun {
  probeId: string;
  region: string;
  /** probe kind: `http`, `tcp`, `dns`, … */
  kind: string;
  slotAt: EpochMs;
  startedAt: EpochMs;
  outcome: Outcome;
  phases: Phases;
  httpStatus: number | null;
  /**
   * when the peer's certificate expires, from the worker's whole days left (floored): at most a day early;
   * null when the run saw no certificate
   */
  certExpiresAt: EpochMs | null;
}

export interface EvaluatorProgress {
  /** probes the evaluator has judged at least one slot of */
  probes: number;
  /**
   * the longest a probe's next slot has waited to be judged since it ended (0 when every probe is up to
   * date); about the grace period in a healthy evaluator, growing when it stalls; null before any state
   */
  lagMs: number | null;
  /** the earliest slot still to judge over all probes: every slot before it is judged */
  judgedUntil: EpochMs | null;
  /** the evaluator's newest state write */
  lastWriteAt: EpochMs | null;
  /** stored results of slots not judged yet */
  unjudgedResults: number;
}

export interface MetricsSnapshot {
  at: EpochMs;
  /** per configured probe and region; absent when its newest result is older than STALE_SLOTS slots */
  latest: LatestRun[];
  status: StatusReport;
  /** every open incident: scope, key and kind only (titles and messages never become labels) */
  open: { scope: IncidentScope; key: string; kind: IncidentKind }[];
  evaluator: EvaluatorProgress;
  outbox: OutboxDepth;
}

/** What `/metrics` shows: the newest run per probe and region, the status figures, open incidents, queues. */
export async function readMetrics(db: Db, config: VigilConfig, now: EpochMs): Promise<MetricsSnapshot> {
  const grids = new Map<string, SlotGrid>();
  for (const p of config.probes) {
    try {
      grids.set(p.id, slotGrid(p));
    } catch {
      // a schedule that cannot be laid out: its probe has no slots to be late on
    }
  }
  const staleMs = (id: string) =>
    Math.min(STALE_MAX_MS, Math.max(STALE_MIN_MS, STALE_SLOTS * (grids.get(id)?.everyMs ?? DAY_MS)));
  const pairs = config.probes.flatMap((p) =>
    p.regions.map((region) => ({ probeId: p.id, region, from: now - staleMs(p.id) })),
  );
  const [runs, status, open, states, outbox] = await Promise.all([
    latestRuns(db, pairs, now + 1),
    readStatus(db, config, now),
    openIncidents(db),
    getEvaluatorState(
      db,
      config.probes.map((p) => probeSubject(p.id)),
    ),
    outboxDepth(db),
  ]);

  const byKey = new Map(runs.map((r) => [`${r.probeId}\u0000${r.region}`, r]));
  const latest: LatestRun[] = [];
  for (const p of config.probes)
    for (const region of p.regions) {
      const r = byKey.get(`${p.id}\u0000${region}`);
      if (!r) continue;
      latest.push({
        probeId: p.id,
        region,
        kind: p.kind,
        slotAt: r.slotAt,
        startedAt: r.startedAt,
        outcome: r.outcome,
        phases: r.phases,
        httpStatus: r.httpStatus,
        certExpiresAt: r.tlsDaysLeft === null ? null : r.startedAt + r.tlsDaysLeft * DAY_MS,
      });
    }

  const ids = new Map(config.probes.map((p) => [probeSubject(p.id), p.id]));
  const next: { probeId: string; from: EpochMs }[] = [];
  let lagMs: number | null = null;
  let lastWriteAt: EpochMs | null = null;
  for (const s of states) {
    const id = ids.get(s.subject);
    const st = s.state as Partial<ProbeState>;
    if (id === undefined || typeof st.next !== 'number') continue;
    next.push({ probeId: id, from: st.next });
    lastWriteAt = Math.max(lastWriteAt ?? 0, s.updatedAt.getTime());
    const grid = grids.get(id);
    if (grid) lagMs = Math.max(lagMs ?? 0, now - grid.next(st.next));
  }
  return {
    at: now,
    latest,
    status,
    open: open.map((i) => ({ scope: i.scope, key: i.key, kind: i.kind })),
    evaluator: {
      probes: next.length,
      lagMs: lagMs === null ? null : Math.max(0, lagMs),
      judgedUntil: next.length === 0 ? null : Math.min(...next.map((n) => n.from)),
      lastWriteAt,
      unjudgedResults: await unjudgedResultCount(db, next, now + 1),
    },
    outbox,
  };
}
