import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { manualClock } from '@vigil/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProbe } from '../run-probe.js';
import { probeSpec } from '../testing/probes.js';

/** What a token endpoint hands out: a secret the run did not know before the response. */
const TOKEN = `eyJhbGciOiJSUzI1NiJ9.${'Zm9vYmFy'.repeat(12)}.c2lnbmF0dXJl`;
const PIECE = TOKEN.slice(20, 32);
const clock = manualClock('2025-03-01T10:00:00Z');
const ctx = { env: {}, clock, region: 'eu-west', slotAt: 1_740_823_200_000, workerId: 'worker-1' };

let server: Server;
let url: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/oauth/token')
      res
        .writeHead(200, { 'content-type': 'application/json', 'x-auth-token': TOKEN })
        .end(JSON.stringify({ access_token: TOKEN, token_type: 'Bearer', expires_in: 3600 }));
    else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ echo: TOKEN }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('a single-request probe of a token endpoint', () => {
  it('asserting $.access_token exists records that it exists, never the token', async () => {
    const r = await runProbe(
      probeSpec(
        'http',
        { url: `${url}/oauth/token`, method: 'POST' },
        { status: 200, json: { '$.access_token': { exists: true } } },
      ),
      ctx,
    );
    expect(r.outcome).toBe('up');
    expect(r.assertions.find((a) => a.name === 'json $.access_token')).toMatchObject({
      ok: true,
      actual: 'a string',
      message: 'expected json $.access_token to exist, got a string',
    });
    expect(JSON.stringify(r)).not.toContain(PIECE);
  });

  it('a failing assertion on the token or a credential header names no part of it', async () => {
    const r = await runProbe(
      probeSpec(
        'http',
        { url: `${url}/oauth/token`, method: 'POST' },
        {
          json: { '$.access_token': { regex: '^opaque-' }, '$.token_type': 'bearer' },
          headers: { 'x-auth-token': { contains: 'nope' } },
        },
      ),
      ctx,
    );
    expect(r.outcome).toBe('down');
    expect(r.message).toContain('expected json $.access_token to match /^opaque-/, got "[REDACTED]"');
    expect(r.message).toContain('expected json $.token_type "bearer", got "Bearer"');
    expect(JSON.stringify(r)).not.toContain(PIECE);
  });

  it('a token the run obtained (OAuth2) is redacted from any assertion, at any key', async () => {
    const r = await runProbe(
      probeSpec(
        'http',
        {
          url: `${url}/api/echo`,
          auth: {
            oauth2: { tokenUrl: `${url}/oauth/token`, clientId: 'id', clientSecret: 'client-secret-1' },
          },
        },
        { json: { '$.echo': { contains: 'zzz' } } },
      ),
      { ...ctx, tokens: undefined },
    );
    expect(r.outcome).toBe('down');
    expect(r.assertions.find((a) => a.name === 'json $.echo')?.actual).toMatch(/^"\[REDACTED\]/);
    expect(JSON.stringify(r)).not.toContain(PIECE);
  });
});
