import * as crypto from 'node:crypto';
import { expect, it, vi } from 'vitest';
import { apiSchema } from '@vigil/config';
import { createLogger } from '@vigil/runtime';
import { createApi } from '../app.js';
import type { ApiDeps } from '../deps.js';
import { config, spec } from '../testing/harness.js';

// every comparison of a presented token goes through node's constant-time timingSafeEqual
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

const api = apiSchema().parse({
  tokens: [
    { name: 'grafana', token: '${env:VIGIL_TOKEN_R}' },
    { name: 'oncall', token: '${env:VIGIL_TOKEN_W}', scopes: ['write'] },
    { name: 'ci', token: '${env:VIGIL_TOKEN_CI}' },
  ],
});
const deps: ApiDeps = {
  // these routes answer from the config (or refuse before reading): no store needed
  db: undefined as never,
  config: () => ({ ...config([spec()]), api }),
  clock: { now: () => Date.parse('2025-03-03T10:00:00Z') },
  log: createLogger('api', { level: 'silent' }),
  env: { VIGIL_TOKEN_R: 'read-token-1', VIGIL_TOKEN_W: 'write-token-2', VIGIL_TOKEN_CI: 'ci-token-3' },
};
const app = createApi(deps);
const call = (path: string, method = 'GET', token?: string) =>
  app.request(path, {
    method,
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });

it('compares a presented token with every configured token in constant time, refusing by status', async () => {
  const tse = vi.mocked(crypto.timingSafeEqual);
  tse.mockClear();
  expect((await call('/api/v1/probes', 'GET', 'read-token-1')).status).toBe(200);
  // a match on the first token does not stop the comparisons (no early exit)
  expect(tse).toHaveBeenCalledTimes(3);
  tse.mockClear();
  expect((await call('/api/v1/probes', 'GET', 'read-token-')).status).toBe(401);
  expect(tse).toHaveBeenCalledTimes(3);
  expect((await call('/api/v1/probes')).status).toBe(401);
  const w = await call('/api/v1/silences', 'POST', 'read-token-1');
  expect(w.status).toBe(403);
  expect(await w.json()).toEqual({ error: 'forbidden', message: 'the token grafana lacks the write scope' });
  // every /api/v1 route but the document needs a token
  for (const path of ['/api/v1/status', '/api/v1/services', '/api/v1/incidents', '/api/v1/reports/week'])
    expect((await call(path)).status, path).toBe(401);
  expect((await call('/api/v1/openapi.json')).status).toBe(200);
});
