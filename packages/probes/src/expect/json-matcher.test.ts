import { describe, expect, it } from 'vitest';
import { jsonExpectSchema, matchJson } from './json-matcher.js';

const body = JSON.stringify({ status: 'ok', env: 'live', count: 3, data: { id: 'x-1' }, tags: ['a'] });

describe('JSON body assertions', () => {
  it.each([
    [{ '$.status': 'ok' }, true, 'expected json $.status "ok", got "ok"'],
    [{ '$.status': 'down' }, false, 'expected json $.status "down", got "ok"'],
    [{ '$.count': 3 }, true, 'expected json $.count 3, got 3'],
    [{ '$.data': { exists: true } }, true, 'expected json $.data to exist, got an object'],
    [{ '$.status': { exists: true } }, true, 'expected json $.status to exist, got a string'],
    [{ '$.status': { exists: false } }, false, 'expected json $.status to be absent, got a string'],
    [{ '$.nope': { exists: true } }, false, 'expected json $.nope to exist, got nothing'],
    [{ '$.nope': { exists: false } }, true, 'expected json $.nope to be absent, got nothing'],
    [{ '$.env': { oneOf: ['live', 'test'] } }, true, 'expected json $.env one of "live", "test", got "live"'],
    [{ '$.env': { oneOf: ['test'] } }, false, 'expected json $.env one of "test", got "live"'],
    [{ '$.count': { '>=': 1 } }, true, 'expected json $.count >= 1, got 3'],
    [{ '$.count': { '<': 3 } }, false, 'expected json $.count < 3, got 3'],
    [{ '$.status': { '>': 1 } }, false, 'expected json $.status > 1, got "ok"'],
    [{ '$.data.id': { regex: '^x-\\d+$' } }, true, 'expected json $.data.id to match /^x-\\d+$/, got "x-1"'],
    [{ '$.data.id': { contains: 'x' } }, true, 'expected json $.data.id to contain "x", got "x-1"'],
    [{ '$.tags': { equals: ['a'] } }, true, 'expected json $.tags ["a"], got ["a"]'],
  ])('%j → %s', (expectation, ok, message) => {
    const [a] = matchJson(jsonExpectSchema.parse(expectation), body);
    expect(a).toMatchObject({ ok, message });
  });

  it('gives one assertion per condition at a path', () => {
    const results = matchJson({ '$.count': { '>=': 1, '<=': 2 } }, body);
    expect(results.map((r) => [r.expected, r.ok])).toEqual(
      expect.arrayContaining([
        ['>= 1', true],
        ['<= 2', false],
      ]),
    );
    expect(results).toHaveLength(2);
  });

  it('fails every path of a body that is not JSON, saying so', () => {
    const [a] = matchJson({ '$.status': 'ok' }, '<html>');
    expect(a?.ok).toBe(false);
    expect(a?.actual).toMatch(/^a body that is not JSON/);
  });

  it.each([
    [{ status: 'ok' }, 'expected a JSON path like "$.data.items[0].id", got "status"'],
    [{ '$.a': { between: [1, 2] } }, 'Unrecognized key: "between"'],
    [{ '$.a': {} }, 'expected at least one of equals, exists'],
    [{ '$.a': [1] }, 'expected a value to equal, or'],
  ])('rejects %j in config', (expectation, message) => {
    const r = jsonExpectSchema.safeParse(expectation);
    expect(r.error?.issues[0]?.message).toContain(message);
  });

  it('reports every bad path and every bad matcher of one map at once', () => {
    const r = jsonExpectSchema.safeParse({
      status: 'ok',
      '$.a': [1],
      '$.b': { regex: 'x(?=y)' },
      nope: { exists: true },
      '$.c': { exists: 'yes' },
      '$.d': { between: [1, 2] },
    });
    expect(r.error?.issues.map((i) => [i.path.join(' '), i.message])).toEqual([
      ['$.a', expect.stringContaining('expected a value to equal, or')],
      ['$.b regex', expect.stringContaining('at character 2, lookahead (?= is not supported')],
      ['$.c', 'exists: Invalid input: expected boolean, received string'],
      ['$.d', 'Unrecognized key: "between"'],
      ['status', 'expected a JSON path like "$.data.items[0].id", got "status"'],
      ['nope', 'expected a JSON path like "$.data.items[0].id", got "nope"'],
    ]);
  });

  it('shows a value nested 100,000 deep without overflowing the stack', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const [a] = matchJson({ '$.a': { equals: [] } }, `{"a":${deep}}`);
    expect(a).toMatchObject({ ok: false, actual: `${'['.repeat(120)}…` });
  });

  describe('never shows a secret the response holds', () => {
    const token = `eyJ${'a1B2'.repeat(40)}`;
    const tokenBody = JSON.stringify({
      access_token: token,
      token_type: 'Bearer',
      expires_in: 3600,
      data: { refreshToken: token, 'x-api-key': token, n: 1 },
    });

    it.each([
      [{ '$.access_token': { exists: true } }, true, 'a string'],
      [{ '$.access_token': { exists: false } }, false, 'a string'],
      [{ '$.access_token': { regex: '^ey' } }, true, '"[REDACTED]"'],
      [{ '$.access_token': { contains: 'zzz' } }, false, '"[REDACTED]"'],
      [{ '$.access_token': 'other' }, false, '"[REDACTED]"'],
      [{ '$.data.refreshToken': { equals: 'other' } }, false, '"[REDACTED]"'],
      [{ '$.data': { equals: {} } }, false, '{"refreshToken":"[REDACTED]","x-api-key":"[REDACTED]","n":1}'],
      [{ '$.token_type': 'Bearer' }, true, '"Bearer"'],
      [{ '$.expires_in': { '>': 60 } }, true, '3600'],
    ])('%j shows %s', (expectation, ok, actual) => {
      const [a] = matchJson(jsonExpectSchema.parse(expectation), tokenBody);
      expect(a).toMatchObject({ ok, actual });
      expect(`${a?.actual} ${a?.message}`).not.toContain(token.slice(0, 12));
    });
  });
});
