import { describe, expect, it } from 'vitest';
import { firingBurnRules, upDown } from './burn.js';
import { pack, type PackedSlot } from './state.js';

const MIN = 60_000;
const T = Date.parse('2025-03-03T10:00:00Z');

describe('burn-rate rules', () => {
  const slots = (verdicts: string, start = T): PackedSlot[] =>
    [...verdicts].map((c, i) =>
      pack({ at: start + i * MIN, durationMs: MIN, verdict: c === 'd' ? 'down' : 'up' }),
    );

  it('measures up and down time inside a window from packed slots', () => {
    expect(upDown(slots('uudd'), T + 30_000, T + 3 * MIN)).toEqual({ upMs: 90_000, downMs: MIN });
  });

  it('pages when the last hour and the last 5 minutes both burn faster than 14.4×', () => {
    const recent = slots('u'.repeat(40) + 'd'.repeat(20));
    expect(
      firingBurnRules({ recent, at: T + 60 * MIN, target: 0.98, long: undefined }).map((a) => a.kind),
    ).toEqual(['fast']);
  });

  it('does not fire on a window less than half measured', () => {
    expect(firingBurnRules({ recent: slots('ddd'), at: T + 3 * MIN, target: 0.98, long: undefined })).toEqual(
      [],
    );
  });
});
