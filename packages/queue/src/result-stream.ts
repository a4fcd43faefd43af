import type { ProbeResult } from '@vigil/core';
import { z } from 'zod';
import { QueueError } from './errors.js';
import { connect, DEFAULT_PREFIX } from './redis.js';
import { probeResultSchema } from './result-schema.js';

export interface ResultStreamOptions {
  redisUrl: string;
  /** @defaultValue 'vigil' */
  prefix?: string;
  /**
   * Approximate cap on buffered results (XADD MAXLEN ~). Past it Redis trims the OLDEST entries, even
   * ones not yet persisted: at 10,000 results a minute the default holds ~100 minutes of Postgres outage.
   * @defaultValue 1_000_000
   */
  maxLen?: number;
  /** connection errors while Redis is unreachable (appends wait and retry meanwhile) */
  onError?: (err: Error) => void;
}

export interface ResultStream {
  /** Durably buffers one result in Redis (resolves once Redis has it). */
  append(r: ProbeResult): Promise<void>;
  close(): Promise<void>;
}

export const RESULT_FIELD = 'r';
export const PERSISTER_GROUP = 'persisters';

export function resultStreamKey(prefix: string): string {
  return `${prefix}:results`;
}

/** Results travel through a Redis stream so they wait in Redis, not in process memory, while Postgres is down. */
export function createResultStream(o: ResultStreamOptions): ResultStream {
  const client = connect(o.redisUrl);
  client.on('error', (err: Error) => o.onError?.(err));
  const key = resultStreamKey(o.prefix ?? DEFAULT_PREFIX);
  const maxLen = String(o.maxLen ?? 1_000_000);
  let closed = false;
  return {
    async append(r) {
      if (closed) throw new QueueError('CLOSED', 'result stream is closed');
      const parsed = probeResultSchema.safeParse(r);
      if (!parsed.success)
        throw new QueueError('INVALID_PAYLOAD', `invalid probe result: ${z.prettifyError(parsed.error)}`, {
          cause: parsed.error,
        });
      await client.xadd(key, 'MAXLEN', '~', maxLen, '*', RESULT_FIELD, JSON.stringify(parsed.data));
    },
    async close() {
      if (closed) return;
      closed = true;
      await client.quit();
    },
  };
}
