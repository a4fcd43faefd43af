import { describe, expect, it } from 'vitest';
import { spec } from '../testing/builders.js';
import { maintenanceLookup, toMaintenance } from './maintenance.js';

const MIN = 60_000;
const T = Date.parse('2025-03-03T10:00:00Z');

describe('maintenance', () => {
  it('excludes matching probes inside a weekly window, in its time zone', () => {
    const m = toMaintenance(
      {
        id: 'db',
        match: { providers: ['stripe'] },
        weekdays: ['mon'],
        at: { weekday: null, hour: 11, minute: 0 },
        duration: 30 * MIN,
        tz: 'Europe/Berlin',
      },
      'UTC',
    );
    const inside = maintenanceLookup([m], { from: T - 86_400_000, to: T + 86_400_000 });
    expect(inside(spec(), T)).toBe(true);
    expect(inside(spec(), T + 30 * MIN)).toBe(false);
    expect(inside(spec({ provider: 'paypal' }), T)).toBe(false);
  });
});
