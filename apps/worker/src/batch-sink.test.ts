import { Writable } from 'node:stream';
import type { ProbeResult } from '@vigil/core';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { batchSinkOutageLog, createBatchSink } from './batch-sink.js';

describe('batch sink during a database outage', () => {
  it('keeps the rows, logs one line when writes start failing and one with the rows flushed when they work', async () => {
    const raw: string[] = [];
    const log = pino(
      { base: null, timestamp: false },
      new Writable({
        write(chunk: Buffer, _enc, done) {
          raw.push(...chunk.toString().split('\n').filter(Boolean));
          done();
        },
      }),
    );
    let now = 0;
    let down = true;
    const written: ProbeResult[] = [];
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const sink = createBatchSink({
      write: async (rows) => {
        if (down)
          throw new Error('Failed query: insert into "probe_results" values ($1)\nparams: stripe', {
            cause: refused,
          });
        written.push(...rows);
      },
      maxRows: 1_000,
      maxDelayMs: 60_000,
      ...batchSinkOutageLog(log, { now: () => now }),
    });
    for (let i = 0; i < 4; i++) {
      await sink.append({ slotAt: i } as ProbeResult);
      await sink.flush();
      now += 1_000;
    }
    down = false;
    await sink.flush();
    await sink.close();

    expect(written.map((r) => r.slotAt)).toEqual([0, 1, 2, 3]);
    expect(raw.map((l) => JSON.parse(l) as unknown)).toEqual([
      {
        level: 50,
        dependency: 'postgres',
        op: 'write results',
        code: 'ECONNREFUSED',
        err: 'connect ECONNREFUSED 127.0.0.1:5432',
        rows_buffered: 1,
        msg: 'failing; retrying quietly until it works again',
      },
      {
        level: 30,
        dependency: 'postgres',
        op: 'write results',
        down_ms: 4_000,
        failed_attempts: 4,
        rows_flushed: 4,
        msg: 'working again after failing',
      },
    ]);
  });
});
