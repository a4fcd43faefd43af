import { describe, expect, it } from 'vitest';
import { burnAlerts } from './slo.js';
import { burnSignal, latencySignal } from './signals.js';
import type { SlotVerdict } from './verdict.js';

const MIN = 60_000;
const slowFrom = (n: number, slowCount: number): SlotVerdict[] =>
  Array.from({ length: n }, (_, i) => ({
    at: i * MIN,
    durationMs: MIN,
    verdict: i < slowCount ? 'degraded' : 'up',
    latencyMs: i < slowCount ? 900 : 100,
  }));

describe('latencySignal', () => {
  it.each([
    ['p95 under the threshold', 20, 0, 'good'],
    ['one slow slot of 20 (p95 is the 19th)', 20, 1, 'good'],
    ['two slow slots of 20', 20, 2, 'bad'],
    ['too few samples', 4, 4, 'skip'],
  ] as const)('%s → %s', (_name, n, slow, signal) => {
    expect(
      latencySignal({ slots: slowFrom(n, slow), window: { from: 0, to: n * MIN }, thresholdMs: 500 }),
    ).toBe(signal);
  });

  it('ignores slots outside the window and down slots', () => {
    const slots: SlotVerdict[] = [
      ...slowFrom(10, 10),
      { at: 20 * MIN, durationMs: MIN, verdict: 'down', latencyMs: 5000 },
    ];
    expect(latencySignal({ slots, window: { from: 10 * MIN, to: 30 * MIN }, thresholdMs: 500 })).toBe('skip');
  });
});

describe('burnSignal', () => {
  it('is bad for the kind that fires and good for the others', () => {
    const burning = { upMs: 50, downMs: 50 };
    const alerts = burnAlerts({ target: 0.98, windows: { '1h': burning, '5m': burning } });
    expect(burnSignal(alerts, 'fast')).toBe('bad');
    expect(burnSignal(alerts, 'slow')).toBe('good');
  });
});
