import { loadEvaluatorState, openIncidents, saveEvaluatorState, type Db, type IncidentRow } from '@vigil/db';
import type { EngineMemory } from './engine.js';
import {
  MONITOR_SUBJECT,
  newMonitorMemory,
  trackKey,
  type AggregateState,
  type MonitorMemory,
  type ProbeState,
} from './state.js';

/** The leader's working set: engine memory plus the open incidents by track key. */
export interface LeaderMemory {
  engine: EngineMemory;
  open: Map<string, IncidentRow>;
}

/** Reads everything a new leader needs; the stored state is the last committed tick. */
export async function loadMemory(db: Db): Promise<LeaderMemory> {
  const engine: EngineMemory = { probes: new Map(), aggregates: new Map(), monitor: newMonitorMemory() };
  for (const { subject, state } of await loadEvaluatorState(db)) {
    if (subject === MONITOR_SUBJECT) engine.monitor = { ...newMonitorMemory(), ...(state as MonitorMemory) };
    else if (subject.startsWith('probe:')) engine.probes.set(subject.slice(6), state as ProbeState);
    else engine.aggregates.set(subject, state as AggregateState);
  }
  const open = new Map<string, IncidentRow>();
  for (const r of await openIncidents(db)) open.set(trackKey(r.scope, r.key, r.kind), r);
  return { engine, open };
}

/** Writes the state of the subjects a tick changed. */
export async function saveMemory(
  db: Db,
  mem: EngineMemory,
  subjects: Iterable<string>,
  now: Date,
): Promise<void> {
  const rows: { subject: string; state: unknown }[] = [];
  for (const subject of subjects) {
    const state =
      subject === MONITOR_SUBJECT
        ? mem.monitor
        : subject.startsWith('probe:')
          ? mem.probes.get(subject.slice(6))
          : mem.aggregates.get(subject);
    if (state !== undefined) rows.push({ subject, state });
  }
  await saveEvaluatorState(db, rows, now);
}
