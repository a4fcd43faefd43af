import { describe, expect } from 'vitest';
import { openDb } from '../client.js';
import { DRIVERS, onDriver, repoTest as it } from '../testing/drivers.js';
import {
  claimOutbox,
  enqueueOutbox,
  listOutbox,
  markOutboxDead,
  markOutboxRetry,
  markOutboxSent,
  type NewOutboxRow,
} from './outbox.js';

const T0 = Date.parse('2025-03-01T10:00:00Z');

const row = (id: string, over: Partial<NewOutboxRow> = {}): NewOutboxRow => ({
  id,
  incidentId: 'inc_1',
  eventKey: `opened@${T0}`,
  channel: 'slack',
  payload: { title: id },
  createdAt: new Date(T0),
  ...over,
});

describe.each(DRIVERS)('outbox repository on %s', (kind) => {
  onDriver(kind, ['outbox']);

  it('queues one row per incident event and channel however often it is enqueued', async ({ t }) => {
    expect(await enqueueOutbox(t.h.db, [row('ob_1'), row('ob_2', { channel: 'email' })])).toBe(2);
    expect(await enqueueOutbox(t.h.db, [row('ob_3'), row('ob_4', { channel: 'email' })])).toBe(0);
    expect((await listOutbox(t.h.db)).map((r) => r.id)).toEqual(['ob_1', 'ob_2']);
  });

  it('hides a claimed row from other claims until its lease expires', async ({ t }) => {
    await enqueueOutbox(t.h.db, [row('ob_1')]);
    expect((await claimOutbox(t.h.db, new Date(T0), 10, 60_000)).map((r) => r.id)).toEqual(['ob_1']);
    expect(await claimOutbox(t.h.db, new Date(T0 + 59_999), 10, 60_000)).toEqual([]);
    const again = await claimOutbox(t.h.db, new Date(T0 + 60_000), 10, 60_000);
    expect(again).toEqual([
      {
        id: 'ob_1',
        channel: 'slack',
        payload: { title: 'ob_1' },
        attempts: 0,
        nextAttemptAt: T0,
        createdAt: T0,
      },
    ]);
  });

  it('holds an incident’s later message for a channel until the earlier one is sent or dead', async ({
    t,
  }) => {
    await enqueueOutbox(t.h.db, [
      row('ob_1'),
      row('ob_2', { eventKey: 'resolved@1' }),
      row('ob_3', { channel: 'email' }),
      row('ob_4', { incidentId: 'inc_2' }),
    ]);
    expect((await claimOutbox(t.h.db, new Date(T0), 10)).map((r) => r.id)).toEqual(['ob_1', 'ob_3', 'ob_4']);
    await markOutboxRetry(t.h.db, 'ob_1', new Date(T0 + 5_000), 'HTTP 500');
    expect(await claimOutbox(t.h.db, new Date(T0 + 1_000), 10)).toEqual([]);
    expect((await claimOutbox(t.h.db, new Date(T0 + 5_000), 10)).map((r) => [r.id, r.attempts])).toEqual([
      ['ob_1', 1],
    ]);
    await markOutboxSent(t.h.db, 'ob_1', new Date(T0 + 5_000));
    expect((await claimOutbox(t.h.db, new Date(T0 + 5_000), 10)).map((r) => r.id)).toEqual(['ob_2']);
    await markOutboxDead(t.h.db, 'ob_2', 'gave up');
    const all = await listOutbox(t.h.db);
    expect(all.map((r) => [r.id, r.status, r.lastError])).toEqual([
      ['ob_1', 'sent', 'HTTP 500'],
      ['ob_2', 'dead', 'gave up'],
      ['ob_3', 'pending', null],
      ['ob_4', 'pending', null],
    ]);
  });

  it.runIf(kind === 'postgres')('never hands one row to two concurrent claims', async ({ t }) => {
    const rows = Array.from({ length: 40 }, (_, i) =>
      row(`ob_${String(i).padStart(3, '0')}`, { incidentId: `inc_${i}` }),
    );
    await enqueueOutbox(t.h.db, rows);
    const other = await openDb({ url: t.url!, poolSize: 4 });
    try {
      const claims = await Promise.all(
        Array.from({ length: 8 }, (_, i) => claimOutbox((i % 2 ? other : t.h).db, new Date(T0), 7)),
      );
      const ids = claims.flat().map((r) => r.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.length).toBe(40);
    } finally {
      await other.close();
    }
  });
});
