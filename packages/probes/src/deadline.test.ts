import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { DeadlineError, startDeadline } from './deadline.js';

const never = new Promise<never>(() => undefined);
const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

describe('startDeadline', () => {
  it('settles a race that never would with a DeadlineError once the time is up', async () => {
    const t0 = performance.now();
    const d = startDeadline(50);
    await expect(d.race(never)).rejects.toBeInstanceOf(DeadlineError);
    expect(d.timedOut()).toBe(true);
    expect(d.signal.aborted).toBe(true);
    expect(d.endedAt() - t0).toBeGreaterThanOrEqual(50);
    expect(d.remainingMs()).toBe(0);
    d.dispose();
  });

  it('lets work that ends in time win, and then holds no timer', async () => {
    const before = timers();
    const d = startDeadline(10_000);
    await expect(d.race(Promise.resolve('done'))).resolves.toBe('done');
    await expect(d.race(Promise.reject(new Error('refused')))).rejects.toThrow('refused');
    d.dispose();
    expect(d.timedOut()).toBe(false);
    expect(timers()).toBe(before);
  });

  it('stamps every deadline that passed together with the same instant, however long aborting takes', async () => {
    const busy = (ms: number): void => {
      const until = performance.now() + ms;
      while (performance.now() < until);
    };
    const deadlines = Array.from({ length: 50 }, () => startDeadline(30));
    for (const d of deadlines) d.signal.addEventListener('abort', () => busy(2));
    busy(40); // the event loop was busy when they came due: all 50 have passed when the timer runs
    await Promise.all(deadlines.map((d) => d.race(never).catch(() => undefined)));
    const ends = new Set(deadlines.map((d) => d.endedAt()));
    // 50 listeners burn 100 ms between the first abort and the last; all runs still end when the timer ran
    expect(ends.size).toBe(1);
  });

  it('runs deadlines of different lengths in the order they come due, each once its time is up', async () => {
    const order: number[] = [];
    const ds = [60, 20, 40, 20, 0].map((ms, i) => {
      const startedAt = performance.now();
      const d = startDeadline(ms);
      d.signal.addEventListener('abort', () => order.push(i));
      return { dueAt: startedAt + ms, d };
    });
    await Promise.all(ds.map(({ d }) => d.race(never).catch(() => undefined)));
    const byDue = ds.map((x, i) => ({ ...x, i })).sort((a, b) => a.dueAt - b.dueAt);
    expect(order).toEqual(byDue.map((x) => x.i));
    for (const { dueAt, d } of ds) expect(d.endedAt()).toBeGreaterThanOrEqual(dueAt);
  });

  it('forgets a disposed deadline: it never aborts', async () => {
    const early = startDeadline(20);
    const late = startDeadline(40);
    early.dispose();
    await late.race(never).catch(() => undefined);
    expect(early.signal.aborted).toBe(false);
    expect(late.timedOut()).toBe(true);
  });

  it('waits out a deadline longer than a node timer can hold instead of firing at once', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error): void => void warnings.push(w.name);
    process.on('warning', onWarning);
    const d = startDeadline(1e26);
    await new Promise((r) => setTimeout(r, 30));
    expect(d.timedOut()).toBe(false);
    d.dispose();
    process.off('warning', onWarning);
    expect(warnings).not.toContain('TimeoutOverflowWarning');
  });

  it('follows a parent signal without calling it a timeout', async () => {
    const parent = new AbortController();
    const d = startDeadline(10_000, parent.signal);
    const raced = d.race(never);
    parent.abort(new Error('shutdown'));
    await expect(raced).rejects.toThrow('shutdown');
    expect(d.timedOut()).toBe(false);
    d.dispose();
  });
});
