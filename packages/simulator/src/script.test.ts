import { describe, expect, it } from 'vitest';
import { behaviorAt, toScript } from './script.js';
import type { RouteScript } from './types.js';

const up = { mode: 'ok' } as const;
const down = { mode: 'status', status: 503 } as const;
const limited = { mode: 'rate_limited', retryAfterS: 5 } as const;
const script: RouteScript = {
  behavior: up,
  outages: [{ fromMs: 10_000, toMs: 20_000, behavior: limited }],
  every: { periodMs: 60_000, downMs: 15_000, offsetMs: 5_000, behavior: down },
};

describe('behaviorAt', () => {
  it.each([
    [0, 'ok', 'before the repeating outage first starts'],
    [4_999, 'ok', 'one ms before the offset'],
    [5_000, 'status', 'at the offset'],
    [10_000, 'rate_limited', 'an explicit outage wins over the repeating one'],
    [19_999, 'rate_limited', 'the last ms of the explicit outage'],
    [20_000, 'ok', 'an outage window ends exclusive (repeating one ended at 20 s too)'],
    [64_999, 'ok', 'just before the next period'],
    [65_000, 'status', 'the next period'],
    [79_999, 'status', 'the last ms of the next period'],
  ])('at %i ms gives %s: %s', (at, mode) => {
    expect(behaviorAt(script, at).mode).toBe(mode);
  });

  it('wraps a bare behaviour into a script', () => {
    expect(toScript(down)).toEqual({ behavior: down });
    expect(toScript(script)).toBe(script);
  });
});
