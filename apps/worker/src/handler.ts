import { missingEnv, type Clock, type Env, type ProbeResult, type ProbeSpec } from '@vigil/core';
import type { ProbeJob } from '@vigil/queue';

export interface HandlerDeps {
  getSpec: (id: string, hash: string) => Promise<ProbeSpec | null>;
  run: (
    spec: ProbeSpec,
    ctx: { env: Env; clock: Clock; region: string; slotAt: number; workerId: string; signal?: AbortSignal },
  ) => Promise<ProbeResult>;
  sink: { append(r: ProbeResult): Promise<void> };
  env: Env;
  clock: Clock;
  workerId: string;
  onResult?: (r: ProbeResult) => void;
  onUnknownProbe?: (job: ProbeJob) => void;
  /** a run cut short by shutdown or cancellation: its result is dropped, the slot is not its to record */
  onAborted?: (job: ProbeJob) => void;
  /**
   * A probe that cannot run with this process's environment (its result has errorClass `config`): told
   * once per probe and set of missing variable names (names only, never values); every run is recorded.
   */
  onConfigProblem?: (spec: ProbeSpec, missing: string[]) => void;
}

/**
 * One probe job: look up the spec by id, run it, hand the result to the sink. A run whose signal aborted
 * (the worker is shutting down and hands the job back) records nothing: its "down" would be the monitor's
 * own doing, and the worker that re-runs the slot records it.
 */
export function createProbeHandler(d: HandlerDeps) {
  const told = new Set<string>();
  const configProblem = (spec: ProbeSpec) => {
    const missing = missingEnv({ spec: spec.spec, expect: spec.expect }, d.env).sort();
    const key = `${spec.id}\u0000${missing.join(',')}`;
    if (told.has(key)) return;
    told.add(key);
    d.onConfigProblem?.(spec, missing);
  };
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
    });
    if (signal.aborted) {
      d.onAborted?.(job);
      return;
    }
    if (result.errorClass === 'config') configProblem(spec);
    await d.sink.append(result);
    d.onResult?.(result);
  };
}
