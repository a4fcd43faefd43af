import type { Incident } from '@vigil/core';
import { loadEvaluatorState, openIncidents, type Db } from '@vigil/db';
import type { EngineMemory } from '../step/engine.js';
import {
  MONITOR_SUBJECT,
  newMonitorMemory,
  trackKey,
  type AggregateState,
  type MonitorMemory,
  type ProbeState,
} from '../step/state.js';
import { RegionWatch } from '../step/watchdog.js';
import type { EvaluationState } from '../step/step.js';

/** Reads everything a new leader needs; the stored state is the last committed tick. */
export async function loadEvaluationState(
  db: Db,
  watch: RegionWatch = new RegionWatch(),
): Promise<EvaluationState> {
  const engine: EngineMemory = { probes: new Map(), aggregates: new Map(), monitor: newMonitorMemory() };
  for (const { subject, state } of await loadEvaluatorState(db)) {
    if (subject === MONITOR_SUBJECT) engine.monitor = { ...newMonitorMemory(), ...(state as MonitorMemory) };
    else if (subject.startsWith('probe:')) engine.probes.set(subject.slice(6), state as ProbeState);
    else engine.aggregates.set(subject, state as AggregateState);
  }
  const open = new Map<string, Incident>();
  for (const r of await openIncidents(db)) open.set(trackKey(r.scope, r.key, r.kind), r);
  return { engine, open, watch };
}
