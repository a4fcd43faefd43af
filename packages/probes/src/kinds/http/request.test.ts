import { describe, expect, it } from 'vitest';
import { prepareRequest, redirectTarget } from './request.js';
import { httpSpecSchema } from './spec.js';

const prepare = (spec: Record<string, unknown>) => prepareRequest(httpSpecSchema.parse(spec));

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
    expect(redirectTarget(post, status, '/b')).toMatchObject({ method, body });
  });

  it('keeps credentials on the same origin and drops them on another', () => {
    expect(redirectTarget(post, 307, '/b')?.headers['x-key']).toBe('k');
    expect(redirectTarget(post, 307, 'https://other.test/b')?.headers['x-key']).toBeUndefined();
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
