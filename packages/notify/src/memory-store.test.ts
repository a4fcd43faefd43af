import { describe, expect, it } from 'vitest';
import { MemoryOutboxStore } from './memory-store.js';
import { alertEvent } from './testing/events.js';

const row = (id: string, createdAt: number) => ({ id, channel: 'c', payload: alertEvent({ id }), createdAt });

describe('MemoryOutboxStore', () => {
  it('hands a due row to one claimer until its lease runs out', async () => {
    const s = new MemoryOutboxStore({ leaseMs: 1_000 });
    s.enqueue(row('a', 0));
    expect((await s.claimDue(0, 10)).map((r) => r.id)).toEqual(['a']);
    expect(await s.claimDue(999, 10)).toEqual([]);
    expect((await s.claimDue(1_000, 10)).map((r) => r.id)).toEqual(['a']);
  });

  it('claims oldest first, up to the limit, and never a row that is not yet due', async () => {
    const s = new MemoryOutboxStore();
    s.enqueue(row('late', 50));
    s.enqueue(row('early', 10));
    s.enqueue(row('future', 500));
    expect((await s.claimDue(100, 1)).map((r) => r.id)).toEqual(['early']);
    expect((await s.claimDue(100, 10)).map((r) => r.id)).toEqual(['late']);
  });

  it('counts failures and keeps sent and dead rows out of claims', async () => {
    const s = new MemoryOutboxStore();
    s.enqueue(row('a', 0));
    s.enqueue(row('b', 0));
    s.enqueue(row('a', 0));
    await s.markRetry('a', 10, 'HTTP 500');
    await s.markDead('b', 'HTTP 404');
    expect(s.get('a')).toMatchObject({
      attempts: 1,
      nextAttemptAt: 10,
      lastError: 'HTTP 500',
      status: 'pending',
    });
    await s.markSent('a', 20);
    expect(await s.claimDue(100, 10)).toEqual([]);
    expect(s.all().map((r) => [r.id, r.status])).toEqual([
      ['a', 'sent'],
      ['b', 'dead'],
    ]);
  });
});
