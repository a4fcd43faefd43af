import type { Clock, ProbeResult } from '@vigil/core';
import { dbErrorSummary } from '@vigil/db';
import { OutageLog, type Logger } from '@vigil/runtime';

export interface ResultSink {
  append(r: ProbeResult): Promise<void>;
  close(): Promise<void>;
}

export interface BatchSinkOptions {
  write: (rows: ProbeResult[]) => Promise<unknown>;
  /** @defaultValue 500 */
  maxRows?: number;
  /** @defaultValue 200 */
  maxDelayMs?: number;
  /** a failed write; `rows` is every buffered row, kept for the next flush */
  onError?: (err: Error, rows: number) => void;
  /** a successful write of `rows` */
  onWritten?: (rows: number) => void;
}

/**
 * onError / onWritten for createBatchSink that log a write outage by state (see OutageLog): one error line
 * when writes start failing, one line with the rows flushed when they succeed again.
 */
export function batchSinkOutageLog(
  log: Logger,
  clock?: Clock,
): Pick<BatchSinkOptions, 'onError' | 'onWritten'> {
  const outage = new OutageLog({ log, dependency: 'postgres', op: 'write results', clock });
  return {
    onError: (err, rows) => outage.failed(dbErrorSummary(err), { rows_buffered: rows }),
    onWritten: (rows) => outage.succeeded({ rows_flushed: rows }),
  };
}

/**
 * Buffers results and writes them in multi-row batches. Used in embedded mode, where the database is
 * in-process; a failed write keeps the rows and retries them with the next flush.
 */
export function createBatchSink(o: BatchSinkOptions): ResultSink & { flush(): Promise<void> } {
  const maxRows = o.maxRows ?? 500;
  const maxDelayMs = o.maxDelayMs ?? 200;
  let buffer: ProbeResult[] = [];
  let timer: NodeJS.Timeout | null = null;
  let flushing: Promise<void> = Promise.resolve();

  const flush = (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = null;
    flushing = flushing.then(async () => {
      if (buffer.length === 0) return;
      const rows = buffer;
      buffer = [];
      try {
        await o.write(rows);
      } catch (err) {
        buffer = rows.concat(buffer);
        o.onError?.(err as Error, rows.length);
        schedule();
        return;
      }
      o.onWritten?.(rows.length);
    });
    return flushing;
  };

  const schedule = () => {
    if (!timer) timer = setTimeout(() => void flush(), maxDelayMs);
  };

  return {
    async append(r) {
      buffer.push(r);
      if (buffer.length >= maxRows) await flush();
      else schedule();
    },
    flush,
    async close() {
      await flush();
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
