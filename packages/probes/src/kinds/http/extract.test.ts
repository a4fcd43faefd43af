import { describe, expect, it } from 'vitest';
import { extractSchema, extractValues } from './extract.js';

const body = JSON.stringify({
  access_token: 'tok-secret',
  expires_in: 300,
  data: { items: [{ id: 'it_1', 'x-id': 'x1' }], live: true, none: null, obj: {} },
});
const response = { headers: { 'request-id': 'req_1', 'set-cookie': ['a=1', 'b=2'] }, bodyText: body };

describe('extract', () => {
  it('takes values by JSON path ($.a.b[0].c, ["quoted"]) and from headers (any case)', () => {
    const extract = extractSchema.parse({
      token: '$.access_token',
      ttl: '$.expires_in',
      first: '$.data.items[0].id',
      quoted: { json: '$.data.items[0]["x-id"]', secret: false },
      live: '$.data.live',
      requestId: { header: 'Request-Id', secret: true },
      cookies: { header: 'set-cookie' },
    });
    const { values, failures } = extractValues(extract, response);
    expect(failures).toEqual([]);
    expect(values).toEqual([
      { variable: 'token', value: 'tok-secret', secret: undefined },
      { variable: 'ttl', value: '300', secret: undefined },
      { variable: 'first', value: 'it_1', secret: undefined },
      { variable: 'quoted', value: 'x1', secret: false },
      { variable: 'live', value: 'true', secret: undefined },
      { variable: 'requestId', value: 'req_1', secret: true },
      { variable: 'cookies', value: 'a=1, b=2', secret: undefined },
    ]);
  });

  it('names the variable and where it looked when there is nothing usable, never the value', () => {
    const extract = extractSchema.parse({
      a: '$.missing',
      b: '$.data.none',
      c: '$.data.obj',
      d: '$.data.items',
      e: { header: 'x-absent' },
    });
    const { values, failures } = extractValues(extract, response);
    expect(values).toEqual([]);
    expect(failures).toEqual([
      { variable: 'a', source: '$.missing', reason: 'is not in the response body' },
      { variable: 'b', source: '$.data.none', reason: 'is null, expected a string, a number or a boolean' },
      {
        variable: 'c',
        source: '$.data.obj',
        reason: 'is an object, expected a string, a number or a boolean',
      },
      {
        variable: 'd',
        source: '$.data.items',
        reason: 'is a list, expected a string, a number or a boolean',
      },
      { variable: 'e', source: 'header x-absent', reason: 'is not in the response' },
    ]);
    expect(JSON.stringify(failures)).not.toContain('tok-secret');
  });

  it('a body that is not JSON (or was not read) fails each JSON path, not the headers', () => {
    const extract = extractSchema.parse({ a: '$.a', id: { header: 'request-id' } });
    const text = extractValues(extract, { headers: response.headers, bodyText: '<html>' });
    expect(text.failures).toEqual([
      { variable: 'a', source: '$.a', reason: 'cannot be read: the body is not JSON' },
    ]);
    expect(text.values.map((v) => v.variable)).toEqual(['id']);
    expect(extractValues(extract, { headers: {}, bodyText: null }).failures[0]?.reason).toBe(
      'cannot be read: the body was not read completely',
    );
  });

  it.each([
    [{ a: 'access_token' }, 'expected a JSON path like'],
    [{ a: { json: '$.a[*]' } }, 'expected a JSON path like'],
    [{ a: { header: '' } }, 'Too small'],
    [{ a: { cookie: 'x' } }, 'expected a JSON path like'],
  ])('rejects %j', (value, message) => {
    const issue = extractSchema.safeParse(value).error?.issues[0];
    expect(issue?.message).toContain(message);
  });

  it('a variable name is an identifier', () => {
    const issue = extractSchema.safeParse({ 'bad-name': '$.a' }).error?.issues[0];
    expect(issue?.code === 'invalid_key' && issue.issues[0]?.message).toBe(
      'expected a variable name (letters, digits and "_", not starting with a digit), got "bad-name"',
    );
  });
});
