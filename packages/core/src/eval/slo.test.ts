import { describe, expect, it } from 'vitest';
import { burnAlerts, burnRate, burnWindows, errorBudget, type BurnWindow, type UpDown } from './slo.js';

const MIN = 60_000;
const DAY_30 = 30 * 24 * 60 * MIN;

describe('errorBudget', () => {
  it.each([
    [28 * MIN, 1440 * MIN, false],
    [28.8 * MIN, 1440 * MIN, false],
    [29 * MIN, 1440 * MIN, true],
  ])('with %f ms down of %f measured: exhausted %s', (downMs, measured, exhausted) => {
    const b = errorBudget({ target: 0.98, upMs: measured - downMs, downMs });
    expect(b.allowedMs).toBeCloseTo(28.8 * MIN, 3);
    expect(b.usedMs).toBe(downMs);
    expect(b.exhausted).toBe(exhausted);
  });

  it('spreads the budget over the whole period when given one', () => {
    const b = errorBudget({ target: 0.98, upMs: 10 * 24 * 60 * MIN, downMs: 60 * MIN, periodMs: DAY_30 });
    expect(b.allowedMs).toBeCloseTo(14.4 * 60 * MIN, 3);
    expect(b.leftMs).toBeCloseTo(13.4 * 60 * MIN, 3);
    expect(b.leftFraction).toBeCloseTo(13.4 / 14.4, 9);
  });

  it('has no fraction left to report when nothing is allowed', () => {
    expect(errorBudget({ target: 1, upMs: 100, downMs: 0 }).leftFraction).toBeNull();
    expect(errorBudget({ target: 0.98, upMs: 0, downMs: 0 })).toMatchObject({
      allowedMs: 0,
      exhausted: false,
    });
  });
});

describe('burnRate', () => {
  it.each([
    [0, 100, 0],
    [2, 98, 1],
    [28.8, 71.2, 14.4],
    [100, 0, 50],
  ])('%f down, %f up at 98% burns at %f', (downMs, upMs, rate) => {
    expect(burnRate({ target: 0.98, upMs, downMs })).toBeCloseTo(rate, 9);
  });

  it('is null without data', () => {
    expect(burnRate({ target: 0.98, upMs: 0, downMs: 0 })).toBeNull();
  });
});

describe('burnAlerts', () => {
  /** Up/down for an error ratio that burns at `rate` with a 98% target. */
  const burning = (rate: number): UpDown => ({ downMs: rate * 2, upMs: 100 - rate * 2 });
  const quiet: UpDown = { upMs: 100, downMs: 0 };
  const windows = (w: Partial<Record<BurnWindow, UpDown>>) => ({
    '5m': quiet,
    '30m': quiet,
    '1h': quiet,
    '6h': quiet,
    '3d': quiet,
    ...w,
  });

  it.each<[string, Partial<Record<BurnWindow, UpDown>>, string[]]>([
    ['nothing burning', {}, []],
    ['fast burn in both windows', { '1h': burning(15), '5m': burning(20) }, ['fast']],
    ['exactly 14.4× does not page', { '1h': burning(14.4), '5m': burning(14.4) }, []],
    ['just over 14.4× pages', { '1h': burning(14.41), '5m': burning(14.41) }, ['fast']],
    ['fast burn over 1 h that already stopped (5 m quiet)', { '1h': burning(20) }, []],
    ['a 5 m spike alone', { '5m': burning(50) }, []],
    ['slow burn', { '6h': burning(7), '30m': burning(7) }, ['slow']],
    ['exactly 6× does not page', { '6h': burning(6), '30m': burning(6) }, []],
    ['ticket burn', { '3d': burning(1.5), '6h': burning(1.5) }, ['ticket']],
    ['exactly 1× raises no ticket', { '3d': burning(1), '6h': burning(1) }, []],
    [
      'everything burning',
      { '5m': burning(50), '30m': burning(50), '1h': burning(50), '6h': burning(50), '3d': burning(50) },
      ['fast', 'slow', 'ticket'],
    ],
  ])('%s → %j', (_name, w, kinds) => {
    const alerts = burnAlerts({ target: 0.98, windows: windows(w) });
    expect(alerts.map((a) => a.kind)).toEqual(kinds);
  });

  it('says nothing for windows without data', () => {
    expect(burnAlerts({ target: 0.98, windows: { '1h': burning(20) } })).toEqual([]);
  });

  it('reports the rule, severity and both rates', () => {
    const [alert] = burnAlerts({ target: 0.98, windows: windows({ '1h': burning(20), '5m': burning(30) }) });
    expect(alert).toMatchObject({ kind: 'fast', severity: 'page', factor: 14.4, long: '1h', short: '5m' });
    expect(alert!.longRate).toBeCloseTo(20, 9);
    expect(alert!.shortRate).toBeCloseTo(30, 9);
  });

  it('lists the trailing windows ending now', () => {
    const w = burnWindows(1_000_000_000);
    expect(w['5m']).toEqual({ from: 1_000_000_000 - 5 * MIN, to: 1_000_000_000 });
    expect(w['3d'].to - w['3d'].from).toBe(3 * 24 * 60 * MIN);
  });
});
