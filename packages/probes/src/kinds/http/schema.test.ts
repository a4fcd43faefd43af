import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { httpExpectSchema } from './expect.js';
import { httpSpecSchema } from './spec.js';

const firstIssue = (schema: z.ZodType, value: unknown) => {
  const issue = schema.safeParse(value).error?.issues[0];
  return issue && { path: issue.path.join('.'), message: issue.message };
};

describe('http probe configuration', () => {
  it('accepts the documented example', () => {
    const e = httpExpectSchema.parse({
      status: 200,
      responseTime: '< 800ms',
      headers: { 'content-type': { contains: 'json' }, 'x-env': 'live', etag: { regex: '^W/' } },
      json: {
        '$.status': 'ok',
        '$.data': { exists: true },
        '$.env': { oneOf: ['live', 'test'] },
        '$.count': { '>=': 1 },
      },
      body: { contains: 'ok' },
      tls: { daysLeft: '>= 14' },
    });
    expect(e.status).toBe(200);
  });

  it('fills defaults and keeps env references unresolved', () => {
    expect(httpSpecSchema.parse({ url: '${env:BASE}/v1', auth: { bearer: '${env:TOKEN}' } })).toMatchObject({
      url: '${env:BASE}/v1',
      method: 'GET',
      followRedirects: true,
      maxRedirects: 5,
      maxBodyBytes: 1024 * 1024,
      tls: { verify: true },
      auth: { bearer: '${env:TOKEN}' },
    });
  });

  it('validates a value again unchanged (stored and queued specs are re-checked before a run)', () => {
    const once = httpSpecSchema.parse({ url: 'https://a.test', json: { a: 1 } });
    expect(httpSpecSchema.parse(once)).toEqual(once);
    const e = httpExpectSchema.parse({ status: '2xx', json: { '$.a': 1 } });
    expect(httpExpectSchema.parse(e)).toEqual(e);
  });

  it.each([
    [
      httpSpecSchema,
      { url: 'ftp://a.test' },
      'url',
      'expected an http:// or https:// URL, got "ftp://a.test"',
    ],
    [httpSpecSchema, { url: 'http://a.test', method: 'FETCH' }, 'method', ''],
    [httpSpecSchema, { url: 'http://a.test', timeout: 5 }, '', 'Unrecognized key: "timeout"'],
    [
      httpSpecSchema,
      { url: 'http://a.test', body: 'x', json: {} },
      'json',
      'expected either body or json, not both',
    ],
    [
      httpSpecSchema,
      { url: 'http://a.test', auth: { token: 'x' } },
      'auth',
      'expected one of { bearer: TOKEN }',
    ],
    [httpExpectSchema, { status: 'ok' }, 'status', 'expected a status like 200'],
    [
      httpExpectSchema,
      { responseTime: 800 },
      'responseTime',
      'expected a duration comparison like "< 800ms" or "<= 2s", got 800',
    ],
    [httpExpectSchema, { responseTime: 'fast' }, 'responseTime', 'got "fast"'],
    [httpExpectSchema, { json: { '$.a': 1, status: 'ok' } }, 'json.status', 'expected a JSON path'],
    [
      httpExpectSchema,
      { headers: { etag: { regex: '[' } } },
      'headers.etag.regex',
      'expected a valid regular expression',
    ],
    [
      httpExpectSchema,
      { tls: { daysLeft: 14 } },
      'tls.daysLeft',
      'expected a comparison like ">= 14", got 14',
    ],
    [httpExpectSchema, { statuss: 200 }, '', 'Unrecognized key: "statuss"'],
  ])('points at the offending value: %#', (schema, value, path, message) => {
    const issue = firstIssue(schema, value);
    expect(issue?.path).toBe(path);
    expect(issue?.message).toContain(message);
  });
});
