import {
  missingEnv,
  type Clock,
  type Env,
  type PingStore,
  type ProbeResult,
  type ProbeSpec,
} from '@vigil/core';
import type { ProbeJob } from '@vigil/queue';

export interface HandlerDeps {
  getSpec: (id: string, hash: string) => Promise<ProbeSpec | null>;
  run: (
    spec: ProbeSpec,
    ctx: {
      env: Env;
      clock: Clock;
      region: string;
      slotAt: number;
      workerId: string;
      signal?: AbortSignal;
      pings?: Pick<PingStore, 'lastPing'>;
    },
  ) => Promise<ProbeResult>;
  sink: { append(r: ProbeResult): Promise<void> };
  env: Env;
  clock: Clock;
  workerId: string;
  /** where push probes' pings are read (`kind: heartbeat`) */
  pings?: Pick<PingStore, 'lastPing'>;
  onResult?: (r: ProbeResult) => void;
  onUnknownProbe?: (job: ProbeJob) => void;
  /** a run cut short by shutdown or cancellation: its result is dropped, the slot is not its to record */
  onAborted?: (job: ProbeJob) => void;
  /** a run's result had errorClass `config` (every such run is recorded); see configProblems */
  onConfigProblem?: (spec: ProbeSpec) => void;
}

/**
 * Tells `tell` about a probe that cannot run with `env` (an unset `${env:…}`), once per probe and set of
 * missing variable names (names only, never values); a probe that can run is passed over. Call it at
 * start for the known specs and pass it as onConfigProblem, so each problem is said once.
 */
export function configProblems(
  env: Env,
  tell: (spec: ProbeSpec, missing: string[]) => void,
): (spec: ProbeSpec) => void {
  const told = new Set<string>();
  return (spec) => {
    const missing = missingEnv({ spec: spec.spec, expect: spec.expect }, env).sort();
    const key = `${spec.id}\u0000${missing.join(',')}`;
    if (missing.length === 0 || told.has(key)) return;
    told.add(key);
    tell(spec, missing);
  };
}

/**
 * One probe job: look up the spec by id, run it, hand the result to the sink. A run whose signal aborted
 * (the worker is shutting down and hands the job back) records nothing: its "down" would be the monitor's
 * own doing, and the worker that re-runs the slot records it.
 */
export function createProbeHandler(d: HandlerDeps) {
  return async (job: ProbeJob, signal: AbortSignal): Promise<void> => {
    const spec = await d.getSpec(job.probeId, job.specHash);
    if (!spec) {
      d.onUnknownProbe?.(job);
      return;
    }
    const result = await d.run(spec, {
      env: d.env,
      clock: d.clock,
      region: job.region,
      slotAt: job.slotAt,
      workerId: d.workerId,
      signal,
      ...(d.pings && { pings: d.pings }),
    });
    if (signal.aborted) {
      d.onAborted?.(job);
      return;
    }
    if (result.errorClass === 'config') d.onConfigProblem?.(spec);
    await d.sink.append(result);
    d.onResult?.(result);
  };
}
