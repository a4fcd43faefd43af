/** Epoch milliseconds. Core never reads the clock: every instant is an argument. */
export type EpochMs = number;

export const ERROR_CLASSES = [
  'timeout',
  'dns',
  'connect_refused',
  'connection_reset',
  'tls_expired',
  'tls_invalid',
  'tls_hostname',
  'too_many_redirects',
  'body_too_large',
  'http_protocol',
  'http_status',
  'auth',
  'assertion_failed',
  'rate_limited',
  'no_ping',
  'internal',
  'config',
  'overloaded',
] as const;
/**
 * Why a probe run was not up. `internal` means the monitor itself failed (a bug), never the target.
 * `config` means the probe cannot run as configured where it ran (an unset `${env:…}`): the run is
 * recorded, but its slots are excluded, never the provider's downtime. `no_ping` is a push probe
 * (`kind: heartbeat`) whose sender did not ping within its interval and grace ("no ping since …").
 * `auth` is our credentials rejected (HTTP 401/403, or a failed OAuth2 token fetch): the probe's downtime,
 * but the alert says to check the credentials rather than that the provider is down.
 * `overloaded` is a run the monitor itself slowed: its worker's event loop stalled during the run, or it
 * started after its slot had ended. The outcome is kept, the message says why; the evaluator counts
 * the region as no data for the slot (never the provider's latency or downtime).
 */
export type ErrorClass = (typeof ERROR_CLASSES)[number];

/** `rate_limited` (HTTP 429) is neither up nor down: it is counted on its own. */
export type Outcome = 'up' | 'down' | 'rate_limited';

/** Timing phases of one run in milliseconds; null when the phase did not happen (e.g. tls on plain http). */
export interface Phases {
  dnsMs: number | null;
  connectMs: number | null;
  tlsMs: number | null;
  ttfbMs: number | null;
  transferMs: number | null;
  totalMs: number;
}

/** One assertion's verdict: says what was expected and what was seen. */
export interface AssertionResult {
  /** e.g. `status`, `header content-type`, `json $.status`, `body`, `responseTime`, `tlsDaysLeft`, `answer` */
  name: string;
  ok: boolean;
  expected: string;
  actual: string;
  /** e.g. `expected status 200, got 503` */
  message: string;
}

/** How a probe is scheduled: a fixed interval with a deterministic offset, or a cron pattern in a time zone. */
export type ProbeSchedule =
  { type: 'interval'; everyMs: number } | { type: 'cron'; cron: string; tz: string };

export interface SourceRef {
  file: string;
  line: number;
  col: number;
}

/**
 * A validated probe definition. `spec` and `expect` are the kind's own blocks exactly as validated,
 * with `${env:NAME}` references still unresolved: this object is safe to store, queue and print.
 */
export interface ProbeSpec {
  id: string;
  name: string;
  provider: string;
  service: string;
  critical: boolean;
  schedule: ProbeSchedule;
  timeoutMs: number;
  regions: string[];
  /** fraction, e.g. 0.98 */
  sloTarget: number;
  labels: Record<string, string>;
  runbook: string | null;
  /** probe kind name: `http`, `tcp`, `dns`, … */
  kind: string;
  spec: Record<string, unknown>;
  expect: unknown;
  source: SourceRef;
}

/** The result of one run of one probe in one region for one slot. Down is data, not an exception. */
export interface ProbeResult {
  probeId: string;
  region: string;
  /** the scheduled time of the run (from the schedule, never the worker's clock): the idempotency key */
  slotAt: EpochMs;
  startedAt: EpochMs;
  phases: Phases;
  outcome: Outcome;
  httpStatus: number | null;
  errorClass: ErrorClass | null;
  /** human-readable, secrets redacted */
  message: string | null;
  assertions: AssertionResult[];
  /** seconds, from a 429's Retry-After */
  retryAfterS: number | null;
  /** TLS certificate days left, when the run saw a certificate */
  tlsDaysLeft: number | null;
  /** the endpoint announced its deprecation or sunset (RFC 9745, RFC 8594); null or absent when not */
  notices?: ResponseNotices | null;
  /**
   * A multi-step http probe's steps that ran, in order (the last one is the first that failed, if one
   * did); absent for other probes. Stored as probe_results.steps (each step also has its
   * `step "<name>"` assertion).
   */
  steps?: StepResult[];
  /**
   * Why Vigil did not send this `rate_limited` slot's request: `deferred` by the provider's Retry-After,
   * or its `budget` (providers.<name>.rateLimit) was spent; absent for a result whose request was sent.
   */
  notSent?: NotSentReason;
  workerId: string;
}

export const NOT_SENT_REASONS = ['deferred', 'budget'] as const;
export type NotSentReason = (typeof NOT_SENT_REASONS)[number];

/** One step of a multi-step http probe: no text, so nothing in it can hold a secret. */
export interface StepResult {
  name: string;
  outcome: Outcome;
  httpStatus: number | null;
  errorClass: ErrorClass | null;
  phases: Phases;
}

/** What a response's `Deprecation` (RFC 9745) and `Sunset` (RFC 8594) headers said about the endpoint. */
export interface ResponseNotices {
  /** a `Deprecation` header was sent */
  deprecated: boolean;
  /** the deprecation's date (`@<epoch seconds>`, or an HTTP-date from older drafts); null without one */
  deprecatedAt: EpochMs | null;
  /** the `Sunset` HTTP-date: when the endpoint is expected to stop answering; null without one */
  sunsetAt: EpochMs | null;
  /** the `Link` with rel="deprecation" or rel="sunset" (the provider's migration notes), else null */
  link: string | null;
}

/** A source of time. Apps pass the system clock; tests pass a controllable one. */
export interface Clock {
  now(): EpochMs;
}

/**
 * When each push probe (`kind: heartbeat`) was last pinged: written by the API's `/ping/<probe-id>`, read
 * by the probe's run. One interface, two homes: in the process (embedded `vigil run`) or in Redis.
 */
export interface PingStore {
  /** records a ping of `probeId` received at `at` */
  record(probeId: string, at: EpochMs): Promise<void>;
  /**
   * The last ping (null when none was received), and since when pings of the probe have been awaited:
   * the first time this store was asked about it, so a new probe or a fresh store gets one interval and
   * grace before its first ping is due.
   */
  lastPing(probeId: string, now: EpochMs): Promise<{ lastPingAt: EpochMs | null; watchingSince: EpochMs }>;
  close(): Promise<void>;
}
