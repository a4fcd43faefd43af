import type { AlertEvent } from './types.js';

export interface OutboxRow {
  id: string;
  /** the channel's name in vigil.yaml */
  channel: string;
  payload: AlertEvent;
  /** failed attempts so far */
  attempts: number;
  nextAttemptAt: number;
  /** retries go on for at least `maxAgeMs` after this */
  createdAt: number;
}

/**
 * Where alerts wait to be sent. `claimDue` must lease what it returns (for longer than a send can take)
 * so two relays never send one row at once (lease ≥ batchSize × timeoutMs: one channel's rows are
 * sent one after another); a lease that expires without a mark makes the row due
 * again, which is how a crash between send and markSent repeats a message instead of losing it.
 */
export interface OutboxStore {
  claimDue(now: number, limit: number): Promise<OutboxRow[]>;
  markSent(id: string, now: number): Promise<void>;
  /** increments `attempts`, ends the lease; `error` is already free of secrets */
  markRetry(id: string, nextAttemptAt: number, error: string): Promise<void>;
  /** gives up: the row stays, with its error, for someone to look at */
  markDead(id: string, error: string): Promise<void>;
}
