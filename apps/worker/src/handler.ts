import { formatDuration, requestsPerRun } from '@vigil/config';
import {
  missingEnv,
  type Clock,
  type Env,
  type PingStore,
  type ProbeResult,
  type ProbeSpec,
} from '@vigil/core';
import { nextRunAfter, type GateDecision, type ProbeJob, type ProviderGate } from '@vigil/queue';
import { processLoopDelay, type LoopDelaySource } from './loop-delay.js';
import { markIfOverloaded, slotTiming, type OverloadPolicy } from './overload.js';

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
  /**
   * the providers' request budgets and Retry-After deferrals, shared by every region and worker; without
   * one every slot sends its request
   */
  gate?: ProviderGate;
  /** a 429's Retry-After started deferring the provider's slots until `until` (told once per deferral) */
  onDeferred?: (e: {
    provider: string;
    until: number;
    probeId: string;
    region: string;
    retryAfterS: number;
  }) => void;
  /** the first slot of a window that found the provider's budget spent */
  onBudgetSpent?: (e: { provider: string; requests: number; perMs: number; probeId: string }) => void;
  /** the gate could not be asked (its store is unreachable): the slot sends its request regardless */
  onGateError?: (err: Error, job: ProbeJob) => void;
  /**
   * this process's event-loop stalls, to mark runs the monitor itself slowed (see overload.ts);
   * @defaultValue the process's shared LoopDelayMonitor. `false`: never marked for loop delay
   */
  loopDelay?: LoopDelaySource | false;
  /** when a run counts as overloaded, and how late a job may still run; see OverloadPolicy */
  overload?: OverloadPolicy;
  /** a job taken after its slot was over (Vigil was down or far behind): not run, nothing recorded */
  onStale?: (job: ProbeJob, lagMs: number) => void;
  /** a result was marked `overloaded` (the monitor's own delay, not the provider's) */
  onOverloaded?: (r: ProbeResult) => void;
}

/**
 * The result of a slot the gate kept from sending its request: `rate_limited` (neither up nor down nor
 * missing), with no HTTP status — a stored rate_limited result without httpStatus is a request Vigil did
 * not send (a real 429 has httpStatus 429). Written once for its (probe, region, slot) like any other.
 */
export function notSentResult(
  spec: ProbeSpec,
  job: ProbeJob,
  workerId: string,
  now: number,
  d: Exclude<GateDecision, { ok: true }>,
): ProbeResult {
  const message =
    d.reason === 'deferred'
      ? `not sent: ${spec.provider} asked to retry after ${new Date(d.until).toISOString()} (Retry-After); slot deferred`
      : `not sent: the ${spec.provider} budget of ${d.budget.requests} requests per ${formatDuration(d.budget.perMs)} is spent`;
  return {
    probeId: spec.id,
    region: job.region,
    slotAt: job.slotAt,
    startedAt: now,
    phases: { dnsMs: null, connectMs: null, tlsMs: null, ttfbMs: null, transferMs: null, totalMs: 0 },
    outcome: 'rate_limited',
    httpStatus: null,
    errorClass: 'rate_limited',
    message,
    assertions: [],
    retryAfterS: null,
    tlsDaysLeft: null,
    notices: null,
    notSent: d.reason,
    workerId,
  };
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
 * With a gate, a slot of a provider deferred by Retry-After or out of budget is recorded `rate_limited`
 * without a request (notSentResult), and a 429 with Retry-After defers the provider's next slots.
 * A job whose slot is over is not run (no data); a run the monitor itself slowed (an event-loop stall
 * during it, a late start) is recorded `overloaded`, which the evaluator never counts (overload.ts).
 */
export function createProbeHandler(d: HandlerDeps) {
  const loop = d.loopDelay === false ? null : (d.loopDelay ?? processLoopDelay());
  const overload = d.overload ?? {};
  /** the slot's not-sent result, or null when it may send its request */
  const gated = async (spec: ProbeSpec, job: ProbeJob): Promise<ProbeResult | null> => {
    // a push probe (`kind: heartbeat`) sends nothing: no budget to spend, nothing to defer
    if (!d.gate || spec.kind === 'heartbeat') return null;
    const now = d.clock.now();
    let decision: GateDecision;
    try {
      decision = await d.gate.acquire({
        provider: spec.provider,
        probeId: spec.id,
        region: job.region,
        slotAt: job.slotAt,
        nextSlotAt: nextRunAfter(spec.id, spec.schedule, job.slotAt),
        regions: spec.regions,
        requests: requestsPerRun(spec),
        now,
      });
    } catch (err) {
      d.onGateError?.(err instanceof Error ? err : new Error(String(err)), job);
      return null;
    }
    if (decision.ok) return null;
    if (decision.reason === 'budget' && decision.first)
      d.onBudgetSpent?.({
        provider: spec.provider,
        requests: decision.budget.requests,
        perMs: decision.budget.perMs,
        probeId: spec.id,
      });
    return notSentResult(spec, job, d.workerId, now, decision);
  };

  const deferFrom = async (spec: ProbeSpec, job: ProbeJob, r: ProbeResult): Promise<void> => {
    if (!d.gate || r.outcome !== 'rate_limited' || r.retryAfterS === null || !(r.retryAfterS > 0)) return;
    const now = d.clock.now();
    try {
      const until = now + Math.round(r.retryAfterS * 1000);
      if (await d.gate.defer(spec.provider, until, now))
        d.onDeferred?.({
          provider: spec.provider,
          until,
          probeId: spec.id,
          region: job.region,
          retryAfterS: r.retryAfterS,
        });
    } catch (err) {
      d.onGateError?.(err instanceof Error ? err : new Error(String(err)), job);
    }
  };

  return async (job: ProbeJob, signal: AbortSignal): Promise<void> => {
    const spec = await d.getSpec(job.probeId, job.specHash);
    if (!spec) {
      d.onUnknownProbe?.(job);
      return;
    }
    // a slot already over is no data: a late run would measure another instant and crowd on-time ones
    const timing = slotTiming(spec, job, d.clock.now(), overload);
    if (timing.kind === 'stale') {
      d.onStale?.(job, timing.lagMs);
      return;
    }
    const skipped = await gated(spec, job);
    if (skipped) {
      if (signal.aborted) {
        d.onAborted?.(job);
        return;
      }
      await d.sink.append(skipped);
      d.onResult?.(skipped);
      return;
    }
    const mark = loop ? loop.mark() : 0;
    const measured = await d.run(spec, {
      env: d.env,
      clock: d.clock,
      region: job.region,
      slotAt: job.slotAt,
      workerId: d.workerId,
      signal,
      ...(d.pings && { pings: d.pings }),
    });
    const loopDelayMs = loop ? loop.stalledMsSince(mark) : 0;
    const result = markIfOverloaded(measured, { loopDelayMs, timing }, overload);
    if (result !== measured) d.onOverloaded?.(result);
    if (signal.aborted) {
      d.onAborted?.(job);
      return;
    }
    if (result.errorClass === 'config') d.onConfigProblem?.(spec);
    await d.sink.append(result);
    d.onResult?.(result);
    await deferFrom(spec, job, result);
  };
}
