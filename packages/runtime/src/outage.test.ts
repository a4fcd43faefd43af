import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { OutageLog } from './outage.js';

function capture(level = 'info') {
  const lines: Record<string, unknown>[] = [];
  const log = pino(
    { base: null, timestamp: false, level },
    new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const l of chunk.toString().split('\n'))
          if (l) lines.push(JSON.parse(l) as Record<string, unknown>);
        done();
      },
    }),
  );
  return { log, lines };
}

describe('OutageLog', () => {
  const refused = { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:5432' };

  it('logs one error line when failures start and one summary when they end, whatever the attempts', () => {
    const { log, lines } = capture();
    let now = 1_000;
    const outage = new OutageLog({
      log,
      dependency: 'postgres',
      op: 'persist results',
      clock: { now: () => now },
    });
    outage.succeeded({ rows_flushed: 5 });
    for (let i = 0; i < 50; i++) {
      outage.failed(refused, { rows_in_batch: 7 });
      now += 500;
    }
    expect(outage.down).toBe(true);
    outage.succeeded({ rows_flushed: 7, rows_waiting_in_redis: 120 });
    outage.succeeded({ rows_flushed: 3 });
    expect(lines).toEqual([
      {
        level: 50,
        dependency: 'postgres',
        op: 'persist results',
        code: 'ECONNREFUSED',
        err: 'connect ECONNREFUSED 127.0.0.1:5432',
        rows_in_batch: 7,
        msg: 'failing; retrying quietly until it works again',
      },
      {
        level: 30,
        dependency: 'postgres',
        op: 'persist results',
        down_ms: 25_000,
        failed_attempts: 50,
        rows_flushed: 7,
        rows_waiting_in_redis: 120,
        msg: 'working again after failing',
      },
    ]);
    expect(outage.down).toBe(false);
  });

  it('tells a second outage afresh, and each retry only at debug level', () => {
    const { log, lines } = capture('debug');
    const outage = new OutageLog({ log, dependency: 'postgres', op: 'evaluate', clock: { now: () => 0 } });
    for (let round = 0; round < 2; round++) {
      outage.failed(refused);
      outage.failed(refused);
      outage.succeeded();
    }
    expect(lines.map((l) => `${String(l.level)} ${String(l.msg)}`)).toEqual([
      '50 failing; retrying quietly until it works again',
      '20 still failing; retrying',
      '30 working again after failing',
      '50 failing; retrying quietly until it works again',
      '20 still failing; retrying',
      '30 working again after failing',
    ]);
  });
});
