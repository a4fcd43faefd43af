import type { Clock, Env, EpochMs, PingStore, ProbeResult, ProbeSchedule, Redactor } from '@vigil/core';
import type { z } from 'zod';
import type { TokenCache } from './kinds/http/oauth2.js';

export interface ProbeContext {
  /** the single overall deadline of the run, covering DNS, connect, TLS, headers and body */
  timeoutMs: number;
  /** available to kinds; runProbe has already resolved `${env:…}` in the spec it passes */
  env: Env;
  /** the run's resolved secrets: what a kind must not send elsewhere; @defaultValue Redactor.none */
  secrets?: Redactor;
  /** wall clock for instants (certificate expiry, Retry-After dates); latency uses a monotonic clock */
  clock: Clock;
  signal?: AbortSignal;
  /** the probe this run is for and the scheduled slot it judges */
  probe: { id: string; slotAt: EpochMs; schedule: ProbeSchedule; provider?: string; region?: string };
  /**
   * Makes a value the run obtained (an OAuth2 access token) a secret of the run: hidden from its result
   * like a resolved `${env:…}` value.
   */
  addSecret?: (value: string) => void;
  /** where OAuth2 tokens are cached; @defaultValue the process's one cache */
  tokens?: TokenCache;
  /** when push probes were last pinged (`kind: heartbeat`); absent where the process has none */
  pings?: Pick<PingStore, 'lastPing'>;
}

/** What a kind measures: a ProbeResult without what runProbe adds (which run it was, and where). */
export type ProbeRunOutput = Omit<ProbeResult, 'probeId' | 'region' | 'slotAt' | 'startedAt' | 'workerId'>;

/**
 * One kind of probe. `run` never throws for a problem of the target: a target being down is data.
 * `spec` and `expect` validate the YAML blocks without transforming them, so a validated value can be
 * stored, queued and validated again.
 */
export interface ProbeKind<S, E> {
  kind: string;
  spec: z.ZodType<S>;
  expect: z.ZodType<E>;
  run(spec: S, expect: E, ctx: ProbeContext): Promise<ProbeRunOutput>;
}
