import { describe, expect, it } from 'vitest';
import { httpSpecSchema } from './spec.js';

const issues = (value: unknown) =>
  httpSpecSchema.safeParse(value).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];

const token = {
  name: 'token',
  url: 'https://api.test/oauth2/token',
  method: 'POST',
  body: 'grant_type=client_credentials',
  auth: { basic: { username: '${env:ID}', password: '${env:SECRET}' } },
  extract: { accessToken: '$.access_token' },
};

describe('the steps: form of an http probe', () => {
  it('accepts a chain whose references name earlier steps and their variables, and re-validates unchanged', () => {
    const spec = {
      headers: { accept: 'application/json' },
      steps: [
        token,
        {
          name: 'charge',
          url: 'https://api.test/v1/charges',
          method: 'POST',
          auth: { bearer: '${steps.token.accessToken}' },
          json: { amount: 1 },
          expect: { status: 200 },
          extract: { id: '$.id', next: { header: 'location', secret: false } },
        },
        {
          name: 'receipt',
          url: 'https://api.test/v1/charges/${steps.charge.id}?t=${steps.token.accessToken}',
        },
        { name: 'follow', url: '${steps.charge.next}' },
      ],
    };
    const once = httpSpecSchema.parse(spec);
    expect(once.steps?.[1]).toMatchObject({ method: 'POST', headers: {}, query: {} });
    expect(httpSpecSchema.parse(once)).toEqual(once);
  });

  it.each([
    [
      'a reference to an unknown step',
      [
        token,
        {
          name: 'use',
          url: 'https://a.test/',
          headers: { authorization: 'Bearer ${steps.tokn.accessToken}' },
        },
      ],
      'steps.1.headers.authorization: ${steps.tokn.accessToken}: no step "tokn" before this one (steps before it: token)',
    ],
    [
      'a variable the step does not extract',
      [token, { name: 'use', url: 'https://a.test/${steps.token.access_token}' }],
      'steps.1.url: ${steps.token.access_token}: step "token" extracts accessToken, not access_token',
    ],
    [
      'a reference to a later step',
      [{ name: 'use', url: 'https://a.test/', auth: { bearer: '${steps.token.accessToken}' } }, token],
      'steps.0.auth.bearer: ${steps.token.accessToken}: step "token" runs after this one; a step can use only the values of the steps before it',
    ],
    [
      'a malformed reference',
      [token, { name: 'use', url: 'https://a.test/', body: '${steps.token}' }],
      'steps.1.body: malformed step reference: expected ${steps.<step name>.<variable>}',
    ],
    [
      'a reference in an expect',
      [
        token,
        { name: 'use', url: 'https://a.test/', expect: { body: { contains: '${steps.token.accessToken}' } } },
      ],
      'steps.1.expect.body.contains: ${steps.…} is resolved in a request only (url, query, headers, body, json, auth), not in expect or extract',
    ],
    [
      'two steps with one name',
      [token, { ...token, extract: {} }],
      'steps.1.name: another step is named "token": step names are unique',
    ],
    ['a bad step name', [{ name: 'a b', url: 'https://a.test/' }], 'steps.0.name: expected a step name'],
    [
      'a connection setting in a step',
      [{ name: 'a', url: 'https://a.test/', tls: {} }],
      'Unrecognized key: "tls"',
    ],
  ])('rejects %s', (_what, steps, message) => {
    expect(issues({ steps }).join('\n')).toContain(message);
  });

  it('keeps the request fields in the steps and references out of a single-request probe', () => {
    expect(issues({ url: 'https://a.test/', steps: [token] })).toEqual([
      'url: with steps:, write url in each step',
    ]);
    expect(issues({ method: 'POST', query: { a: 'b' }, steps: [token] })).toEqual([
      'method: with steps:, write method in each step',
      'query: with steps:, write query in each step',
    ]);
    expect(issues({ headers: { x: '${steps.token.accessToken}' }, steps: [token] })[0]).toContain(
      "headers beside steps: go to the first step too; write it in a later step's headers",
    );
    expect(issues({ url: 'https://a.test/${steps.a.b}' })).toEqual([
      'url: ${steps.a.b} is only resolved in a probe with steps:',
    ]);
    expect(issues({})).toEqual(['url: required (or steps: a list of requests)']);
    expect(issues({ steps: [] })[0]).toContain('steps');
  });
});
