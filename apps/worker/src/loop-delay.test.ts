import { describe, expect, it } from 'vitest';
import { LoopDelayMonitor } from './loop-delay.js';

/** a monitor on an injected monotonic clock, its timer fired by hand */
function manual() {
  let t = 1_000;
  const m = new LoopDelayMonitor({ now: () => t, intervalMs: 20, minStallMs: 20 });
  return {
    m,
    /** `ms` pass with the timer firing on time */
    idle(ms: number) {
      for (let i = 0; i < ms / 20; i++) {
        t += 20;
        m.tick();
      }
    },
    /** the loop is blocked for `ms`: nothing runs, then the clock has moved */
    block(ms: number) {
      t += ms;
    },
    tick: () => m.tick(),
  };
}

describe('the event-loop delay monitor', () => {
  it('sees no stall in a run while its timer fires on time', () => {
    const h = manual();
    const mark = h.m.mark();
    h.idle(2_000);
    expect(h.m.stalledMsSince(mark)).toBe(0);
  });

  it('adds up the stalls inside a run, and none before it', () => {
    const h = manual();
    h.block(5_000); // before the run: not its delay
    h.tick();
    h.idle(100);
    const mark = h.m.mark();
    h.block(300);
    h.tick();
    h.idle(100);
    h.block(150);
    h.tick();
    h.idle(100);
    h.block(35); // 15 ms late: timer jitter, under minStallMs
    h.tick();
    // 300 ms late means the timer due 20 ms after its last firing ran 280 ms late; then 130 ms
    expect(h.m.stalledMsSince(mark)).toBe(280 + 130);
  });

  it('counts a stall the timer has not seen yet: the run ended in the turn the loop came back', () => {
    const h = manual();
    const mark = h.m.mark();
    h.block(1_200);
    expect(h.m.stalledMsSince(mark)).toBe(1_180);
  });

  it('counts only the part of a stall after the mark', () => {
    const h = manual();
    h.block(1_000); // the loop was blocked until now; the run starts before the timer gets to fire
    const mark = h.m.mark();
    h.tick();
    expect(h.m.stalledMsSince(mark)).toBe(0);
  });

  it('measures a real blocked event loop', () => {
    const m = new LoopDelayMonitor().start();
    try {
      const mark = m.mark();
      const until = performance.now() + 300;
      while (performance.now() < until); // the stall: synchronous work, as a long evaluator step is
      expect(m.stalledMsSince(mark)).toBeGreaterThanOrEqual(250);
    } finally {
      m.stop();
    }
  });
});
