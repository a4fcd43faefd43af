import type { Clock, EpochMs } from '@vigil/core';
import type { Logger } from 'pino';
import { systemClock } from './clock.js';

/** A failure as a log line may show it: a short code and message (never SQL text, parameters or secrets). */
export interface FailureSummary {
  code: string | null;
  message: string;
}

export interface OutageLogOptions {
  log: Logger;
  /** what is unavailable, e.g. `postgres` */
  dependency: string;
  /** what kept failing, e.g. `persist results`, `evaluate` */
  op: string;
  /** @defaultValue the system clock */
  clock?: Clock;
}

/**
 * Logs a retried operation by state, not by attempt: one error line when it starts failing (with a short
 * code and message), one info line when it succeeds again (how long, how many failed attempts, plus the
 * caller's counts), and every failed attempt in between only at debug level.
 */
export class OutageLog {
  private since: EpochMs | null = null;
  private attempts = 0;
  private readonly clock: Clock;

  constructor(private readonly o: OutageLogOptions) {
    this.clock = o.clock ?? systemClock;
  }

  /** True between the first failure and the next success. */
  get down(): boolean {
    return this.since !== null;
  }

  /** One failed attempt; `counts` are snake_case numbers such as `rows_buffered`. */
  failed(failure: FailureSummary, counts: Record<string, number> = {}): void {
    this.attempts++;
    const fields = { dependency: this.o.dependency, op: this.o.op, code: failure.code, err: failure.message };
    if (this.since !== null) {
      this.o.log.debug({ ...fields, attempt: this.attempts, ...counts }, 'still failing; retrying');
      return;
    }
    this.since = this.clock.now();
    this.o.log.error({ ...fields, ...counts }, 'failing; retrying quietly until it works again');
  }

  /** One successful attempt: after failures, the summary line; otherwise nothing. */
  succeeded(counts: Record<string, number> = {}): void {
    if (this.since === null) return;
    const downMs = this.clock.now() - this.since;
    this.o.log.info(
      {
        dependency: this.o.dependency,
        op: this.o.op,
        down_ms: downMs,
        failed_attempts: this.attempts,
        ...counts,
      },
      'working again after failing',
    );
    this.since = null;
    this.attempts = 0;
  }
}
