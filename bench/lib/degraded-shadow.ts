import {
  DEFAULT_FLAP_POLICY,
  initialIncidentState,
  latencySignal,
  nextIncidentState,
  type IncidentPolicy,
  type SlotVerdict,
} from '@vigil/core';

/** A stored result of a one-region probe, as far as the degraded track reads it. */
export interface LatencyRun {
  probeId: string;
  slotAt: number;
  outcome: string;
  totalMs: number;
}

/** One opening of the shadow track, with what its window held then. */
export interface ShadowOpening {
  probeId: string;
  at: number;
  /** up samples in the latency window at the opening slot */
  samples: number;
  /** of those, over the threshold */
  slow: number;
}

/**
 * Pure: the degraded incidents the rule before issue 13's fix (core's latencySignal alone: p95 of the
 * trailing window's up slots over the threshold, ≥ 5 samples) opens on these results, fed slot by slot
 * into core's incident track with M of N `policy.open`. For the bench's evidence: the real evaluator
 * runs the current rule on the same results, so a run shows both.
 */
export function shadowDegradedOpenings(
  runs: readonly LatencyRun[],
  o: { windowMs: number; thresholdMs: number; policy?: Pick<IncidentPolicy, 'open' | 'resolveAfter'> },
): ShadowOpening[] {
  const policy: IncidentPolicy = {
    open: o.policy?.open ?? { m: 3, n: 5 },
    resolveAfter: o.policy?.resolveAfter ?? 2,
    reminderEveryMs: null,
    flap: DEFAULT_FLAP_POLICY,
  };
  const byProbe = new Map<string, LatencyRun[]>();
  for (const r of runs) byProbe.set(r.probeId, [...(byProbe.get(r.probeId) ?? []), r]);
  const out: ShadowOpening[] = [];
  for (const [probeId, list] of byProbe) {
    list.sort((a, b) => a.slotAt - b.slotAt);
    const slots: SlotVerdict[] = list.map((r) => ({
      at: r.slotAt,
      durationMs: 0,
      verdict: r.outcome !== 'up' ? 'down' : r.totalMs > o.thresholdMs ? 'degraded' : 'up',
      latencyMs: r.outcome === 'up' ? r.totalMs : null,
    }));
    let track = initialIncidentState('probe', probeId, 'degraded');
    for (const s of slots) {
      const window = { from: s.at - o.windowMs, to: s.at + 1 };
      const signal = latencySignal({ slots, window, thresholdMs: o.thresholdMs });
      const wasOpen = track.open;
      track = nextIncidentState(track, signal, policy, s.at).state;
      if (track.open && !wasOpen) {
        const inWindow = slots.filter((x) => x.at >= window.from && x.at < window.to && x.latencyMs != null);
        out.push({
          probeId,
          at: s.at,
          samples: inWindow.length,
          slow: inWindow.filter((x) => x.latencyMs! > o.thresholdMs).length,
        });
      }
    }
  }
  return out;
}
