import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { manualClock } from '@vigil/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runProbe } from './run-probe.js';
import { probeSpec } from './testing/probes.js';

const SECRET = 'sk_live_"q/u+o=t%e&d<s>3cr3t-0123456789';
const USER = 'svc-user';
const env = { KEY: SECRET, USER, PASS: SECRET };
const clock = manualClock('2025-03-01T10:00:00Z');
const ctx = { env, clock, region: 'eu-west', slotAt: 1_740_823_200_000, workerId: 'worker-7' };

const b64 = (s: string) => Buffer.from(s).toString('base64');
const b64url = (s: string) => Buffer.from(s).toString('base64url');
const json = (s: string) => JSON.stringify(s).slice(1, -1);

/** Every form the secret could leak in; no 8-character piece of any may reach a result. */
const FORMS = [
  SECRET,
  json(SECRET),
  encodeURIComponent(SECRET),
  b64(SECRET),
  b64url(SECRET),
  b64(`${USER}:${SECRET}`),
  b64(`\0${USER}\0${SECRET}`),
];
function leaks(text: string): string[] {
  const found: string[] = [];
  for (const f of FORMS)
    for (let i = 0; i + 8 <= f.length; i++)
      if (text.includes(f.slice(i, i + 8))) found.push(f.slice(i, i + 8));
  return found;
}

interface Seen {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

async function listen(handler: (req: IncomingMessage, body: string, res: ServerResponse) => void) {
  const seen: Seen[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ path: req.url ?? '', headers: req.headers, body });
      handler(req, body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('a target that echoes the secret', () => {
  let echo: Awaited<ReturnType<typeof listen>>;
  beforeAll(async () => {
    // answers each path by putting the credential it received into its error, in one form or another
    echo = await listen((req, _body, res) => {
      const auth = req.headers.authorization ?? '';
      const key = auth.replace(/^Bearer /, '');
      const text = (status: number, body: string, headers: Record<string, string> = {}) =>
        res.writeHead(status, { 'content-type': 'text/plain', ...headers }).end(body);
      switch (req.url) {
        case '/json':
          return text(401, JSON.stringify({ error: 'invalid api key', key }), {
            'content-type': 'application/json',
          });
        case '/base64':
          return text(401, `token ${b64(key)} revoked`);
        case '/base64url':
          return text(401, `token ${b64url(key)} revoked`);
        case '/basic':
          return text(401, `bad credentials: ${auth}`);
        case '/percent':
          return text(400, `bad key ${encodeURIComponent(key)}`);
        case '/cut-snippet':
          return text(500, `${'x'.repeat(190)} ${key}`);
        case '/cut-assertion':
          return text(200, JSON.stringify({ echo: `${'y'.repeat(100)}${key}` }), {
            'content-type': 'application/json',
          });
        case '/header':
          return text(200, 'ok', { 'x-echo': key });
        default:
          return text(404, 'no');
      }
    });
  });
  afterAll(() => echo.close());

  const bearer = { bearer: '${env:KEY}' };
  it.each([
    ['JSON-escaped in an error body', '/json', bearer, {}],
    ['base64-encoded in an error body', '/base64', bearer, {}],
    ['base64url-encoded in an error body', '/base64url', bearer, {}],
    [
      'inside HTTP Basic credentials',
      '/basic',
      { basic: { username: '${env:USER}', password: '${env:PASS}' } },
      {},
    ],
    ['percent-encoded in an error body', '/percent', bearer, {}],
    ['cut by the 200-character body snippet', '/cut-snippet', bearer, {}],
    [
      'JSON-escaped and cut by the 120-character assertion value',
      '/cut-assertion',
      bearer,
      { json: { '$.echo': 'x' } },
    ],
    ['in a response header an assertion shows', '/header', bearer, { headers: { 'x-echo': 'x' } }],
  ])('keeps every form of it out of the result when it comes back %s', async (_name, path, auth, expect_) => {
    const r = await runProbe(probeSpec('http', { url: `${echo.url}${path}`, auth }, expect_), ctx);
    expect(r.outcome).toBe('down');
    const stored = JSON.stringify(r);
    expect(stored).toContain('[REDACTED]');
    expect(leaks(stored)).toEqual([]);
  });
});

describe('a redirect to another origin', () => {
  let origin: Awaited<ReturnType<typeof listen>>;
  let other: Awaited<ReturnType<typeof listen>>;
  beforeAll(async () => {
    other = await listen((_req, _body, res) => res.writeHead(200).end('landed'));
    origin = await listen((req, _body, res) => {
      if (req.url === '/same') return res.writeHead(200).end('landed');
      const to = req.url === '/stay' ? '/same' : `${other.url}/landing`;
      res.writeHead(307, { location: to }).end();
    });
  });
  afterAll(async () => {
    await origin.close();
    await other.close();
  });
  beforeEach(() => {
    origin.seen.length = 0;
    other.seen.length = 0;
  });

  // the shipped probes/search.yaml: a key in a custom header, POSTed with a JSON body
  const search = (over: Record<string, unknown> = {}, path = '/query') =>
    probeSpec('http', {
      url: `${origin.url}${path}`,
      method: 'POST',
      headers: { 'X-Algolia-API-Key': '${env:KEY}', 'X-Algolia-Application-Id': 'app-1' },
      json: { query: 'vigil', apiKey: '${env:KEY}' },
      ...over,
    });

  it('is not followed by default when the probe has a secret, and the result says why', async () => {
    const r = await runProbe(search(), ctx);
    expect(other.seen).toEqual([]);
    expect(r).toMatchObject({ outcome: 'down', errorClass: 'http_status', httpStatus: 307 });
    expect(r.message).toContain(`the redirect to ${other.url} was not followed (redirects: same-origin)`);
  });

  it('is followed under redirects: any without the secret header or the body that holds the secret', async () => {
    const r = await runProbe(search({ redirects: 'any' }), ctx);
    expect(r).toMatchObject({ outcome: 'up', httpStatus: 200 });
    expect(origin.seen[0]!.headers['x-algolia-api-key']).toBe(SECRET);
    expect(other.seen).toHaveLength(1);
    const sent = other.seen[0]!;
    expect(sent).toMatchObject({ path: '/landing', body: '' });
    expect(sent.headers['x-algolia-application-id']).toBe('app-1');
    expect(sent.headers).not.toHaveProperty('x-algolia-api-key');
    expect(leaks(JSON.stringify(sent))).toEqual([]);
  });

  it('keeps a body without a secret under redirects: any', async () => {
    await runProbe(search({ redirects: 'any', json: { query: 'vigil' } }), ctx);
    expect(other.seen[0]!.body).toBe('{"query":"vigil"}');
  });

  it('is not followed under redirects: none, and the 307 is the result', async () => {
    const r = await runProbe(search({ redirects: 'none' }, '/query'), ctx);
    expect(other.seen).toEqual([]);
    expect(r).toMatchObject({ errorClass: 'http_status', httpStatus: 307 });
    expect(r.message).not.toContain('not followed');
  });

  it('on the same origin is followed with the header and the body', async () => {
    const r = await runProbe(search({}, '/stay'), ctx);
    expect(r).toMatchObject({ outcome: 'up', httpStatus: 200 });
    const landed = origin.seen.find((s) => s.path === '/same')!;
    expect(landed.headers['x-algolia-api-key']).toBe(SECRET);
    expect(JSON.parse(landed.body)).toEqual({ query: 'vigil', apiKey: SECRET });
  });

  it('is followed for a probe without a secret', async () => {
    const r = await runProbe(search({ headers: {}, json: { query: 'vigil' } }), ctx);
    expect(r).toMatchObject({ outcome: 'up', httpStatus: 200 });
    expect(other.seen).toHaveLength(1);
  });
});
