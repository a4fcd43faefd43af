import { DrizzleQueryError } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { DbError, dbErrorSummary } from './errors.js';

const SQL = 'insert into "probe_results" ("probe_id", "message") values ($1, $2)';
const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });
const query = (cause?: unknown) => new DrizzleQueryError(SQL, ['stripe', 'expected 200'], cause as Error);

describe('dbErrorSummary', () => {
  it.each<[string, unknown, { code: string | null; message: string }]>([
    [
      'a refused connection under the query wrapper',
      query(withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')),
      { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:5432' },
    ],
    [
      'a Postgres error with its SQLSTATE',
      query(withCode('terminating connection due to administrator command', '57P01')),
      { code: '57P01', message: 'terminating connection due to administrator command' },
    ],
    [
      'a connection that ended, inside our own DbError',
      new DbError('DB_PARTITION_FAILED', 'cannot create partitions', {
        cause: query(new Error('Connection terminated unexpectedly')),
      }),
      { code: 'DB_PARTITION_FAILED', message: 'Connection terminated unexpectedly' },
    ],
    [
      'an AggregateError of every address with an empty message',
      query(
        Object.assign(new AggregateError([withCode('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED')], ''), {
          code: 'ECONNREFUSED',
        }),
      ),
      { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED ::1:5432' },
    ],
    ['the query wrapper alone', query(), { code: null, message: 'database query failed' }],
    ['a multi-line message', new Error('first line\nsecond line'), { code: null, message: 'first line' }],
  ])('%s', (_name, err, expected) => {
    const s = dbErrorSummary(err);
    expect(s).toEqual(expected);
    expect(s.message).not.toContain('insert into');
  });

  it('cuts a long message to 200 characters', () => {
    expect(dbErrorSummary(new Error('x'.repeat(500))).message).toHaveLength(200);
  });
});
