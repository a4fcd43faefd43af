import type { OutboxRow, OutboxStore } from './outbox.js';
import type { AlertEvent } from './types.js';

export interface MemoryOutboxRecord extends OutboxRow {
  status: 'pending' | 'sent' | 'dead';
  leaseUntil: number;
  sentAt: number | null;
  lastError: string | null;
}

/** An OutboxStore in memory, with the same lease semantics a database store must have. */
export class MemoryOutboxStore implements OutboxStore {
  private readonly records = new Map<string, MemoryOutboxRecord>();
  private readonly leaseMs: number;

  /** @param o.leaseMs how long a claim hides a row from other claims; default 60 000 */
  constructor(o: { leaseMs?: number } = {}) {
    this.leaseMs = o.leaseMs ?? 60_000;
  }

  enqueue(row: { id: string; channel: string; payload: AlertEvent; createdAt: number }): void {
    if (this.records.has(row.id)) return;
    this.records.set(row.id, {
      ...row,
      attempts: 0,
      nextAttemptAt: row.createdAt,
      status: 'pending',
      leaseUntil: 0,
      sentAt: null,
      lastError: null,
    });
  }

  get(id: string): Readonly<MemoryOutboxRecord> | undefined {
    const r = this.records.get(id);
    return r && { ...r };
  }

  all(): Readonly<MemoryOutboxRecord>[] {
    return [...this.records.values()].map((r) => ({ ...r }));
  }

  claimDue(now: number, limit: number): Promise<OutboxRow[]> {
    const due = [...this.records.values()]
      .filter((r) => r.status === 'pending' && r.nextAttemptAt <= now && r.leaseUntil <= now)
      .sort((a, b) => a.nextAttemptAt - b.nextAttemptAt || a.createdAt - b.createdAt)
      .slice(0, limit);
    for (const r of due) r.leaseUntil = now + this.leaseMs;
    return Promise.resolve(
      due.map(({ id, channel, payload, attempts, nextAttemptAt, createdAt }) => ({
        id,
        channel,
        payload,
        attempts,
        nextAttemptAt,
        createdAt,
      })),
    );
  }

  markSent(id: string, now: number): Promise<void> {
    const r = this.must(id);
    r.status = 'sent';
    r.sentAt = now;
    r.leaseUntil = 0;
    return Promise.resolve();
  }

  markRetry(id: string, nextAttemptAt: number, error: string): Promise<void> {
    const r = this.must(id);
    r.attempts += 1;
    r.nextAttemptAt = nextAttemptAt;
    r.lastError = error;
    r.leaseUntil = 0;
    return Promise.resolve();
  }

  markDead(id: string, error: string): Promise<void> {
    const r = this.must(id);
    r.attempts += 1;
    r.status = 'dead';
    r.lastError = error;
    r.leaseUntil = 0;
    return Promise.resolve();
  }

  private must(id: string): MemoryOutboxRecord {
    const r = this.records.get(id);
    if (!r) throw Object.assign(new Error(`outbox row ${id} does not exist`), { code: 'OUTBOX_ROW_MISSING' });
    return r;
  }
}
