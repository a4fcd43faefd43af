import { describe, expect } from 'vitest';
import { result } from '../testing/builders.js';
import { DRIVERS, onDriver, repoTest as it } from '../testing/drivers.js';
import { enqueueOutbox, markOutboxDead } from './outbox.js';
import { ensurePartitions } from './partitions.js';
import { insertResults } from './results.js';
import { latestRuns, outboxDepth, unjudgedResultCount } from './metrics.js';

const MIN = 60_000;
const T = Date.parse('2025-03-01T10:00:00Z');

describe.each(DRIVERS)('metrics reads on %s', (kind) => {
  onDriver(kind, ['probe_results', 'outbox']);
  it.beforeEach(async ({ t }) => {
    await ensurePartitions(t.h.db, new Date(T - 86_400_000), 1);
  });

  it('finds the newest run of each probe and region inside its own window only', async ({ t }) => {
    const at = (probeId: string, region: string, slotAt: number, over = {}) =>
      result({ probeId, region, slotAt, startedAt: slotAt + 12, ...over });
    await insertResults(t.h.db, [
      at('a', 'eu', T - 2 * MIN),
      at('a', 'eu', T - MIN, { outcome: 'up', httpStatus: 200, tlsDaysLeft: null }),
      at('a', 'us', T - 30 * MIN),
      // a day back: inside b's long window, and a later slot past `before`
      at('b', 'eu', T - 23 * 60 * MIN),
      at('b', 'eu', T + 5 * MIN),
    ]);
    const runs = await latestRuns(
      t.h.db,
      [
        { probeId: 'a', region: 'eu', from: T - 5 * MIN },
        { probeId: 'a', region: 'us', from: T - 5 * MIN },
        { probeId: 'b', region: 'eu', from: T - 24 * 60 * MIN },
        { probeId: 'c', region: 'eu', from: T - 5 * MIN },
      ],
      T,
    );
    expect(runs.sort((x, y) => x.probeId.localeCompare(y.probeId))).toEqual([
      {
        probeId: 'a',
        region: 'eu',
        slotAt: T - MIN,
        startedAt: T - MIN + 12,
        outcome: 'up',
        phases: {
          dnsMs: 1.234567,
          connectMs: 10.5,
          tlsMs: 22.123456789,
          ttfbMs: 180.25,
          transferMs: 3.1,
          totalMs: 217.2,
        },
        httpStatus: 200,
        tlsDaysLeft: null,
      },
      expect.objectContaining({ probeId: 'b', region: 'eu', slotAt: T - 23 * 60 * MIN, tlsDaysLeft: 41 }),
    ]);
  });

  it('counts the results the evaluator has not judged', async ({ t }) => {
    await insertResults(
      t.h.db,
      [0, 1, 2].flatMap((m) =>
        ['eu', 'us'].map((region) => result({ probeId: 'a', region, slotAt: T + m * MIN })),
      ),
    );
    await insertResults(t.h.db, [result({ probeId: 'b', region: 'eu', slotAt: T + MIN })]);
    const count = (from: number) =>
      unjudgedResultCount(
        t.h.db,
        [
          { probeId: 'a', from },
          { probeId: 'b', from: T + 2 * MIN },
        ],
        T + 10 * MIN,
      );
    expect(await count(T + MIN)).toBe(4);
    expect(await count(T + 3 * MIN)).toBe(0);
    expect(await unjudgedResultCount(t.h.db, [], T)).toBe(0);
  });

  it('tells the outbox depth: pending, dead and the oldest pending', async ({ t }) => {
    expect(await outboxDepth(t.h.db)).toEqual({ pending: 0, dead: 0, oldestPendingAt: null });
    await enqueueOutbox(t.h.db, [
      {
        id: 'o1',
        incidentId: 'i1',
        eventKey: 'opened@1',
        channel: 'ops',
        payload: {},
        createdAt: new Date(T),
      },
      {
        id: 'o2',
        incidentId: 'i1',
        eventKey: 'opened@1',
        channel: 'mail',
        payload: {},
        createdAt: new Date(T + MIN),
      },
    ]);
    expect(await outboxDepth(t.h.db)).toEqual({ pending: 2, dead: 0, oldestPendingAt: T });
    await markOutboxDead(t.h.db, 'o1', 'refused');
    expect(await outboxDepth(t.h.db)).toEqual({ pending: 1, dead: 1, oldestPendingAt: T + MIN });
  });
});
