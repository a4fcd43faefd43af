import { quantile } from './stats.js';
import { sleep } from './time.js';

export interface StatusLoad {
  requests: number;
  /** ticks left out because `inFlight` requests were still running */
  skipped: number;
  /** answers other than 2xx, and requests that failed or timed out */
  non2xx: number;
  errors: number;
  p50Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
}

/**
 * A small, bounded client: `perSecond` GETs of `url` for `ms`, paced on the clock, at most `inFlight`
 * at a time (a slow server gets fewer requests, never a pile-up), each aborted after `timeoutMs`.
 */
export async function driveStatus(
  url: string,
  o: { perSecond: number; ms: number; inFlight?: number; timeoutMs?: number },
): Promise<StatusLoad> {
  const gap = 1000 / o.perSecond;
  const maxInFlight = o.inFlight ?? 2;
  const end = performance.now() + o.ms;
  const times: number[] = [];
  let non2xx = 0;
  let errors = 0;
  let inFlight = 0;
  let skipped = 0;
  const pending = new Set<Promise<void>>();
  const timeoutMs = o.timeoutMs ?? 5_000;
  const one = async () => {
    const t0 = performance.now();
    // a controller and a timer of our own: undici holds the signal weakly, and an AbortSignal.timeout()
    // nobody else references can be collected before it fires — the request then never ends
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(), timeoutMs);
    try {
      const res = await fetch(url, { signal: ac.signal });
      await res.arrayBuffer();
      if (res.status < 200 || res.status >= 300) non2xx++;
    } catch {
      errors++;
    } finally {
      clearTimeout(timer);
    }
    times.push(performance.now() - t0);
  };
  const limit = Math.ceil((o.ms / 1000) * o.perSecond) + 1;
  for (let i = 0, next = performance.now(); i < limit && performance.now() < end; i++) {
    if (inFlight < maxInFlight) {
      inFlight++;
      const p: Promise<void> = one().finally(() => {
        inFlight--;
        pending.delete(p);
      });
      pending.add(p);
    } else skipped++;
    next += gap;
    await sleep(Math.max(0, next - performance.now()));
  }
  // bounded whatever the server does: a request still running a second past its timeout is an error
  const left = await Promise.race([
    Promise.all(pending).then(() => 0),
    sleep(timeoutMs + 1_000).then(() => pending.size),
  ]);
  errors += left;
  const round = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);
  return {
    requests: times.length,
    skipped,
    non2xx,
    errors,
    p50Ms: round(quantile(times, 0.5)),
    p99Ms: round(quantile(times, 0.99)),
    maxMs: round(times.length === 0 ? null : Math.max(...times)),
  };
}
