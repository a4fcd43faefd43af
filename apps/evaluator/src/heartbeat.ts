import type { HeartbeatConfig } from '@vigil/config';
import { redact, resolveEnv, secretValues, type Clock, type Env, type EpochMs } from '@vigil/core';

/** What the last completed evaluation tick of this process saw. */
export interface TickView {
  at: EpochMs;
  /** this process held the evaluator lease (only the leader pings) */
  leader: boolean;
  /** fresh results from every region */
  fresh: boolean;
}

export type HeartbeatDecision = 'ping' | 'wait' | 'withhold';

/**
 * Ping only while the evaluator is alive and sees fresh results: the last tick, within one interval and
 * after the previous ping, was the leader's and fresh; at most one ping per interval. A stuck pipeline or evaluator stops
 * the pings, and the outside system pages. Pure.
 */
export function heartbeatDecision(i: {
  now: EpochMs;
  everyMs: number;
  lastPingAt: EpochMs | null;
  lastTick: TickView | null;
}): HeartbeatDecision {
  const t = i.lastTick;
  if (!t || !t.leader || !t.fresh || i.now - t.at > i.everyMs) return 'withhold';
  if (i.lastPingAt === null) return 'ping';
  if (i.now - i.lastPingAt < i.everyMs) return 'wait';
  // every ping needs a tick completed after the previous one
  return t.at > i.lastPingAt ? 'ping' : 'withhold';
}

export type HeartbeatEvent =
  | { type: 'sent'; status: number }
  | { type: 'failed'; status: number | null; error: string }
  | { type: 'withheld'; lastTick: TickView | null }
  | { type: 'resumed' };

export type HeartbeatResult = HeartbeatDecision | 'off' | 'failed';

/** Sends one ping; resolves to the HTTP status. */
export type HeartbeatSend = (url: string, timeoutMs: number) => Promise<number>;

export const fetchPing: HeartbeatSend = async (url, timeoutMs) => {
  const res = await fetch(url, { method: 'GET', redirect: 'follow', signal: AbortSignal.timeout(timeoutMs) });
  await res.body?.cancel();
  return res.status;
};

/**
 * The outbound heartbeat's thin I/O: resolves the URL (`${env:…}`) only to send, never logs or returns
 * it, and reports errors by code only.
 */
export class Heartbeat {
  private lastPingAt: EpochMs | null = null;
  private lastTick: TickView | null = null;
  private withholding = false;
  private inFlight: Promise<HeartbeatResult> | null = null;

  constructor(
    private readonly o: {
      clock: Clock;
      env: Env;
      send?: HeartbeatSend;
      onEvent?: (e: HeartbeatEvent) => void;
    },
  ) {}

  noteTick(t: TickView): void {
    this.lastTick = t;
  }

  /** Pings when due; overlapping calls share the one in flight. */
  beat(cfg: HeartbeatConfig | undefined): Promise<HeartbeatResult> {
    this.inFlight ??= this.run(cfg).finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  private async run(cfg: HeartbeatConfig | undefined): Promise<HeartbeatResult> {
    if (!cfg) return 'off';
    const now = this.o.clock.now();
    const d = heartbeatDecision({
      now,
      everyMs: cfg.interval,
      lastPingAt: this.lastPingAt,
      lastTick: this.lastTick,
    });
    if (d === 'withhold') {
      if (!this.withholding && this.lastPingAt !== null)
        this.o.onEvent?.({ type: 'withheld', lastTick: this.lastTick });
      this.withholding = true;
      return d;
    }
    if (this.withholding && this.lastPingAt !== null) this.o.onEvent?.({ type: 'resumed' });
    this.withholding = false;
    if (d === 'wait') return d;
    this.lastPingAt = now;
    let status: number | null = null;
    try {
      status = await (this.o.send ?? fetchPing)(resolveEnv(cfg.url, this.o.env), cfg.timeout);
      if (status >= 200 && status < 300) {
        this.o.onEvent?.({ type: 'sent', status });
        return 'ping';
      }
      this.o.onEvent?.({ type: 'failed', status, error: `http ${status}` });
    } catch (err) {
      this.o.onEvent?.({ type: 'failed', status, error: this.describe(err, cfg) });
    }
    return 'failed';
  }

  private describe(err: unknown, cfg: HeartbeatConfig): string {
    const e = err as { name?: string; code?: string; cause?: { code?: string } };
    const text = e.cause?.code ?? e.code ?? (e.name === 'TimeoutError' ? 'timeout' : (e.name ?? 'error'));
    return redact(String(text), [...secretValues(cfg.url, this.o.env), cfg.url]);
  }
}
