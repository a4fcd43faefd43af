import { describe, expect } from 'vitest';
import { result } from '../testing/builders.js';
import { DRIVERS, onDriver, repoTest as it } from '../testing/drivers.js';
import { noticesBetween } from './notices.js';
import { insertResults } from './results.js';

const T0 = Date.parse('2025-03-01T10:00:00Z');
const MIN = 60_000;
const sunset = (at: string, link: string | null = null) => ({
  deprecated: true,
  deprecatedAt: null,
  sunsetAt: Date.parse(at),
  link,
});

describe.each(DRIVERS)('noticesBetween on %s', (kind) => {
  onDriver(kind, ['probe_results']);

  it("gives each probe's newest notice in the window and when the window first saw one", async ({ t }) => {
    await insertResults(t.h.db, [
      result({ probeId: 'a', slotAt: T0, notices: sunset('2026-01-01T00:00:00Z') }),
      result({ probeId: 'a', slotAt: T0 + MIN, notices: sunset('2026-02-01T00:00:00Z', 'https://x.test/m') }),
      result({ probeId: 'a', slotAt: T0 + 2 * MIN }),
      result({ probeId: 'b', slotAt: T0 + MIN }),
      // outside the window
      result({ probeId: 'c', slotAt: T0 + 10 * MIN, notices: sunset('2026-03-01T00:00:00Z') }),
    ]);
    const got = await noticesBetween(t.h.db, T0, T0 + 5 * MIN);
    expect(got).toEqual([
      {
        probeId: 'a',
        notices: sunset('2026-02-01T00:00:00Z', 'https://x.test/m'),
        firstSeenAt: T0,
        lastSeenAt: T0 + MIN,
      },
    ]);
    expect(await noticesBetween(t.h.db, T0 + 5 * MIN, T0 + 60 * MIN)).toHaveLength(1);
  });
});
