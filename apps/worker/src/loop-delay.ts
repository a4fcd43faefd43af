import { performance } from 'node:perf_hooks';

// taken when this module loads: fake timers a test installs later never stop the probe timer or its clock
const realNow = performance.now.bind(performance);
const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;

/**
 * What the handler asks about this process's event loop: take a mark before a run, and after it ask how
 * long the loop was stalled during the run. A stall delays every callback waiting behind it (a deadline
 * timer fires before the response that came during the stall is read), so a run that overlapped stalls
 * measured the monitor's own delay, not the provider's.
 */
export interface LoopDelaySource {
  mark(): number;
  /**
   * the time (ms) the event loop spent stalled within [mark, now]: every stall of minStallMs or more,
   * one going on right now included (many short stalls add up, as a run's many callbacks each wait)
   */
  stalledMsSince(mark: number): number;
}

export interface LoopDelayOptions {
  /** a monotonic clock in ms. @defaultValue performance.now */
  now?: () => number;
  /** the probe timer's period. @defaultValue 20 */
  intervalMs?: number;
  /** drifts shorter than this are not kept (timer jitter). @defaultValue 20 */
  minStallMs?: number;
  /** stalls are kept this long (longer than any run). @defaultValue 15 min */
  keepMs?: number;
  /** at most this many stalls are kept (the oldest go first). @defaultValue 4096 */
  maxStalls?: number;
}

interface Stall {
  from: number;
  to: number;
  /** the stalled time of every stall seen up to and including this one */
  total: number;
}

/**
 * A timer-drift probe of the event loop: a timer due every `intervalMs` that fires `d` ms late means the
 * loop could run nothing for `d` ms ([due, fired] is kept as a stall). A stall still going on when asked
 * (the timer is overdue) counts too, so a run that completes in the same turn as the stall ends is seen.
 * Cheap: one timer per `intervalMs`; a query is a binary search (running totals per stall).
 * (`monitorEventLoopDelay` gives a histogram over time, not which runs a stall overlapped.)
 */
export class LoopDelayMonitor implements LoopDelaySource {
  private readonly now: () => number;
  private readonly intervalMs: number;
  private readonly minStallMs: number;
  private readonly keepMs: number;
  private readonly maxStalls: number;
  private readonly stalls: Stall[] = [];
  private last: number;
  private total = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(o: LoopDelayOptions = {}) {
    this.now = o.now ?? realNow;
    this.intervalMs = o.intervalMs ?? 20;
    this.minStallMs = o.minStallMs ?? 20;
    this.keepMs = o.keepMs ?? 15 * 60_000;
    this.maxStalls = o.maxStalls ?? 4096;
    this.last = this.now();
  }

  /** Starts the probe timer (unref'd: it never keeps the process alive). */
  start(): this {
    if (this.timer) return this;
    this.last = this.now();
    const arm = () => {
      this.timer = realSetTimeout(() => {
        this.tick();
        arm();
      }, this.intervalMs);
      this.timer.unref?.();
    };
    arm();
    return this;
  }

  stop(): void {
    realClearTimeout(this.timer);
    this.timer = undefined;
  }

  /** The probe timer fired (tests call it with an injected clock). */
  tick(): void {
    const at = this.now();
    const due = this.last + this.intervalMs;
    if (at - due >= this.minStallMs) {
      this.total += at - due;
      this.stalls.push({ from: due, to: at, total: this.total });
      if (this.stalls.length > this.maxStalls) this.stalls.shift();
    }
    this.last = at;
    while (this.stalls.length > 0 && this.stalls[0]!.to < at - this.keepMs) this.stalls.shift();
  }

  mark(): number {
    return this.now();
  }

  stalledMsSince(mark: number): number {
    const now = this.now();
    // the timer is overdue: the loop is only now running again after a stall the timer has not seen yet
    let ms = Math.max(0, now - Math.max(this.last + this.intervalMs, mark));
    const n = this.stalls.length;
    // the first stall ending after the mark
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.stalls[mid]!.to > mark) hi = mid;
      else lo = mid + 1;
    }
    if (lo < n) {
      const first = this.stalls[lo]!;
      const before = first.total - (first.to - first.from);
      ms += this.total - before - Math.max(0, mark - first.from);
    }
    return ms;
  }
}

let shared: LoopDelayMonitor | undefined;

/** This process's monitor, started on first use; every handler of the process shares it. */
export function processLoopDelay(): LoopDelayMonitor {
  shared ??= new LoopDelayMonitor().start();
  return shared;
}
