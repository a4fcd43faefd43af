import { Redactor } from '@vigil/core';
import { describe, expect, it } from 'vitest';
import { prepareRequest, redirectTarget, type PreparedRequest } from './request.js';
import { httpRequestSchema } from './spec.js';

const prepare = (spec: Record<string, unknown>, secrets?: Redactor) =>
  prepareRequest(httpRequestSchema.parse(spec), secrets);
const follow = (prev: PreparedRequest, status: number, location: string | undefined) => {
  const step = redirectTarget(prev, status, location);
  return step !== null && 'next' in step ? step.next : null;
};

describe('building the request', () => {
  it.each([
    [{ bearer: 't0k' }, 'authorization', 'Bearer t0k'],
    [{ basic: { username: 'u', password: 'p' } }, 'authorization', `Basic ${btoa('u:p')}`],
    [{ header: { name: 'X-Api-Key', value: 'k' } }, 'x-api-key', 'k'],
  ])('sends %j as the %s header', (auth, header, value) => {
    expect(prepare({ url: 'https://api.test/v1', auth }).headers[header]).toBe(value);
  });

  it('adds query parameters and a query-string key to the URL', () => {
    const r = prepare({
      url: 'https://api.test/v1?a=1',
      query: { b: '2 3' },
      auth: { query: { name: 'key', value: 'k' } },
    });
    expect(r.url.href).toBe('https://api.test/v1?a=1&b=2+3&key=k');
  });

  it('sends json with its content type unless one is given', () => {
    expect(prepare({ url: 'http://a.test', method: 'POST', json: { a: 1 } })).toMatchObject({
      body: '{"a":1}',
      headers: { 'content-type': 'application/json' },
    });
    const own = prepare({
      url: 'http://a.test',
      json: [],
      headers: { 'Content-Type': 'application/x+json' },
    });
    expect(own.headers['content-type']).toBe('application/x+json');
  });
});

describe('following a redirect', () => {
  const post = prepare({
    url: 'https://api.test/a',
    method: 'POST',
    body: 'x',
    headers: { 'content-type': 'text/plain' },
    auth: { header: { name: 'X-Key', value: 'k' } },
  });

  it.each([
    [301, 'GET', undefined],
    [302, 'GET', undefined],
    [303, 'GET', undefined],
    [307, 'POST', 'x'],
    [308, 'POST', 'x'],
  ])('after %i a POST becomes %s', (status, method, body) => {
    expect(follow(post, status, '/b')).toMatchObject({ method, body });
  });

  it('keeps credentials on the same origin and drops them on another', () => {
    expect(follow(post, 307, '/b')?.headers['x-key']).toBe('k');
    expect(follow(post, 307, 'https://other.test/b')?.headers['x-key']).toBeUndefined();
  });

  const secrets = new Redactor(['s3cr3t-key-value']);
  const withSecrets = (over: Record<string, unknown> = {}) =>
    prepare(
      {
        url: 'https://api.test/a',
        method: 'POST',
        headers: { 'X-Algolia-API-Key': 's3cr3t-key-value', 'X-Public': 'p' },
        json: { key: 's3cr3t-key-value' },
        ...over,
      },
      secrets,
    );

  it('marks every header and a body that hold a secret, whatever their names', () => {
    const r = withSecrets();
    expect(r.secretHeaders).toContain('x-algolia-api-key');
    expect(r.secretHeaders).not.toContain('x-public');
    expect(r.secretBody).toBe(true);
    expect(withSecrets({ json: { q: 'vigil' } }).secretBody).toBe(false);
  });

  it.each([
    ['a probe with a secret', withSecrets(), 'same-origin'],
    ['a probe without one', prepare({ url: 'https://api.test/a' }), 'any'],
    ['followRedirects: false', withSecrets({ followRedirects: false }), 'none'],
    ['redirects: any', withSecrets({ redirects: 'any' }), 'any'],
  ])('follows redirects of %s by the %s policy', (_name, r, policy) => {
    expect(r.redirects).toBe(policy);
  });

  it('refuses a redirect to another origin under same-origin, saying why', () => {
    const r = withSecrets();
    expect(follow(r, 307, '/b')?.url.href).toBe('https://api.test/b');
    expect(redirectTarget(r, 307, 'https://other.test/b')).toEqual({
      refused: 'the redirect to https://other.test was not followed (redirects: same-origin)',
    });
    expect(redirectTarget(r, 307, 'http://api.test/b')).toHaveProperty('refused');
  });

  it('under any, sends no secret header and no secret body to another origin, and the rest as before', () => {
    const r = withSecrets({ redirects: 'any' });
    const away = follow(r, 307, 'https://other.test/b')!;
    expect(away).toMatchObject({ method: 'POST', body: undefined, headers: { 'x-public': 'p' } });
    expect(JSON.stringify(away.headers)).not.toContain('s3cr3t');
    const back = follow(away, 307, 'https://api.test/c')!;
    expect(JSON.stringify(back)).not.toContain('s3cr3t');
    expect(follow(withSecrets({ redirects: 'any', json: { q: 1 } }), 307, 'https://other.test/b')?.body).toBe(
      '{"q":1}',
    );
  });

  it('follows nothing under none', () => {
    expect(redirectTarget(withSecrets({ redirects: 'none' }), 307, '/b')).toBeNull();
  });

  it.each([
    [200, '/b'],
    [304, '/b'],
    [302, undefined],
    [302, 'ftp://files.test/x'],
  ])('does not follow %i to %j', (status, location) => {
    expect(redirectTarget(post, status, location)).toBeNull();
  });
});
