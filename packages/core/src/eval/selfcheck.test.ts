import { describe, expect, it } from 'vitest';
import type { Outcome } from '../types.js';
import { nextMonitorState, regionHealth } from './selfcheck.js';

/** `failing` of `total` probes down in `region`, the rest up. */
const region = (name: string, total: number, failing: number, outcome: Outcome = 'down') =>
  Array.from({ length: total }, (_, i) => ({
    probeId: `p${i}`,
    region: name,
    outcome: i < failing ? outcome : ('up' as Outcome),
  }));

describe('regionHealth', () => {
  it.each([
    ['5 of 5 failing', false, 5, 5],
    ['4 of 5 failing (80%)', false, 5, 4],
    ['3 of 5 failing', true, 5, 3],
    ['4 of 4 failing (too few probes to judge)', true, 4, 4],
    ['8 of 10 failing', false, 10, 8],
    ['7 of 10 failing', true, 10, 7],
  ])('%s → healthy %s', (_name, healthy, total, failing) => {
    expect(regionHealth(region('eu', total, failing))[0]).toMatchObject({
      region: 'eu',
      probes: total,
      failed: failing,
      healthy,
    });
  });

  it('judges each region on its own and does not count 429s as failures', () => {
    const h = regionHealth([
      ...region('eu', 6, 6),
      ...region('us', 6, 1),
      ...region('ap', 6, 6, 'rate_limited'),
    ]);
    expect(h.map((r) => [r.region, r.healthy])).toEqual([
      ['ap', true],
      ['eu', false],
      ['us', true],
    ]);
  });

  it('honours a configured policy', () => {
    expect(regionHealth(region('eu', 3, 2), { minProbes: 3, failRatio: 0.6 })[0]!.healthy).toBe(false);
  });
});

describe('nextMonitorState', () => {
  it('emits one monitor event when a region turns unhealthy and one when it recovers', () => {
    const sick = regionHealth(region('eu', 5, 5));
    const well = regionHealth(region('eu', 5, 0));
    const a = nextMonitorState({ unhealthySince: {} }, sick, 1_000);
    const b = nextMonitorState(a.state, sick, 2_000);
    const c = nextMonitorState(b.state, well, 3_000);
    expect(a.events).toEqual([
      {
        type: 'opened',
        scope: 'monitor',
        key: 'eu',
        kind: 'monitor',
        at: 1_000,
        openedAt: 1_000,
        detail: { probes: 5, failed: 5 },
      },
    ]);
    expect(b.events).toEqual([]);
    expect(c.events).toMatchObject([{ type: 'resolved', key: 'eu', openedAt: 1_000, at: 3_000 }]);
    expect(c.state).toEqual({ unhealthySince: {} });
  });
});
