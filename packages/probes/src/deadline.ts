import { performance } from 'node:perf_hooks';

export interface Deadline {
  /** aborts when the deadline passes or the parent signal aborts */
  signal: AbortSignal;
  timedOut(): boolean;
  /** milliseconds left until the deadline (0 once it passed) */
  remainingMs(): number;
  /**
   * When the run ended (performance.now): the instant its deadline was seen to pass if it timed out, else
   * now. A timed-out run's total therefore does not grow with the work of settling it, or its neighbours.
   */
  endedAt(): number;
  /**
   * Settles as `work` does, or rejects with the abort reason as soon as `signal` aborts, whether or not
   * `work` ever notices: the result of a run never waits on a lookup, handshake or socket that hangs.
   */
  race<T>(work: Promise<T>): Promise<T>;
  dispose(): void;
}

const MAX_TIMER_MS = 2 ** 31 - 1;

interface Entry {
  endsAt: number;
  done: boolean;
  expire(at: number): void;
}

/**
 * Every deadline of the process on one timer, earliest first. When it fires, each deadline that has
 * passed is stamped with that same instant before any is aborted, so hundreds expiring together all end on
 * time however long aborting them takes. The timer re-arms for what remains; it never fires early.
 */
class DeadlineWheel {
  private readonly heap: Entry[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private armedFor = Infinity;
  private live = 0;

  add(e: Entry): void {
    this.live++;
    this.push(e);
    if (e.endsAt < this.armedFor) this.arm(e.endsAt);
  }

  /** `e` ended before its deadline; with none left the timer stops, so it keeps no process alive. */
  remove(e: Entry): void {
    if (e.done) return;
    e.done = true;
    if (--this.live > 0) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.armedFor = Infinity;
    this.heap.length = 0;
  }

  private readonly fire = (): void => {
    this.timer = undefined;
    this.armedFor = Infinity;
    const now = performance.now();
    const due: Entry[] = [];
    while (this.heap.length > 0 && (this.heap[0]!.done || this.heap[0]!.endsAt <= now)) {
      const e = this.pop();
      if (!e.done) due.push(e);
    }
    this.live -= due.length;
    for (const e of due) e.done = true;
    if (this.heap.length > 0) this.arm(this.heap[0]!.endsAt);
    for (const e of due) e.expire(now);
  };

  private arm(at: number): void {
    clearTimeout(this.timer);
    this.armedFor = at;
    // past 2^31-1 ms node would fire at once (TimeoutOverflowWarning): wait the most it can, then re-arm
    const wait = Math.min(MAX_TIMER_MS, Math.max(0, Math.ceil(at - performance.now())));
    this.timer = setTimeout(this.fire, wait);
  }

  private push(e: Entry): void {
    const h = this.heap;
    h.push(e);
    for (let i = h.length - 1; i > 0;) {
      const p = (i - 1) >> 1;
      if (h[p]!.endsAt <= h[i]!.endsAt) break;
      [h[p], h[i]] = [h[i]!, h[p]!];
      i = p;
    }
  }

  private pop(): Entry {
    const h = this.heap;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && h[l]!.endsAt < h[m]!.endsAt) m = l;
        if (r < h.length && h[r]!.endsAt < h[m]!.endsAt) m = r;
        if (m === i) break;
        [h[m], h[i]] = [h[i]!, h[m]!];
        i = m;
      }
    }
    return top;
  }
}

const wheel = new DeadlineWheel();

/** One overall deadline for a run, linked to an optional caller signal (e.g. worker shutdown). */
export function startDeadline(timeoutMs: number, parent?: AbortSignal): Deadline {
  const ac = new AbortController();
  let timedOutAt: number | null = null;
  const entry: Entry = {
    endsAt: performance.now() + timeoutMs,
    done: false,
    expire(at) {
      timedOutAt = at;
      ac.abort(new DeadlineError(timeoutMs));
    },
  };
  wheel.add(entry);
  const onParent = (): void => ac.abort(parent?.reason);
  if (parent?.aborted) onParent();
  else parent?.addEventListener('abort', onParent, { once: true });
  return {
    signal: ac.signal,
    timedOut: () => timedOutAt !== null,
    remainingMs: () => Math.max(0, entry.endsAt - performance.now()),
    endedAt: () => timedOutAt ?? performance.now(),
    race: (work) => raceSignal(work, ac.signal),
    dispose() {
      wheel.remove(entry);
      parent?.removeEventListener('abort', onParent);
    },
  };
}

function raceSignal<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err as Error);
      },
    );
    if (signal.aborted) onAbort();
  });
}

export class DeadlineError extends Error {
  readonly code = 'PROBE_DEADLINE';
  constructor(readonly timeoutMs: number) {
    super(`no complete answer within ${timeoutMs}ms`);
  }
}
