import { Hono } from 'hono';
import { expect, it } from 'vitest';
import { apiSchema } from '@vigil/config';
import { createLogger } from '@vigil/runtime';
import { config, spec } from './testing/harness.js';
import { requireScope } from './auth.js';
import type { ApiDeps } from './deps.js';

const api = apiSchema().parse({
  tokens: [
    { name: 'grafana', token: '${env:VIGIL_TOKEN_R}' },
    { name: 'oncall', token: '${env:VIGIL_TOKEN_W}', scopes: ['write'] },
    { name: 'unset', token: '${env:VIGIL_TOKEN_UNSET}' },
  ],
});
const deps: ApiDeps = {
  db: undefined as never,
  config: () => ({ ...config([spec()]), api }),
  clock: { now: () => 0 },
  log: createLogger('api', { level: 'silent' }),
  env: { VIGIL_TOKEN_R: 'read-token-1', VIGIL_TOKEN_W: 'write-token-2' },
  localAccess: true,
};
const app = new Hono();
app.get('/r', requireScope(deps, 'read'), (c) => c.text('read'));
app.post('/w', requireScope(deps, 'write'), (c) => c.text('written'));
const call = (path: string, method: string, token?: string) =>
  app.request(path, { method, headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });

it('lets a read token read, a write token write, and refuses the rest by status', async () => {
  expect((await call('/r', 'GET', 'read-token-1')).status).toBe(200);
  expect((await call('/w', 'POST', 'write-token-2')).status).toBe(200);
  expect((await call('/r', 'GET', 'write-token-2')).status).toBe(200);
  const forbidden = await call('/w', 'POST', 'read-token-1');
  expect(forbidden.status).toBe(403);
  expect(await forbidden.json()).toMatchObject({ message: 'the token grafana lacks the write scope' });
  // no socket here (app.request): even with localAccess, no caller is local without a token
  const anonymous = await call('/r', 'GET');
  expect(anonymous.status).toBe(401);
  expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="vigil"');
  expect((await call('/r', 'GET', 'read-token-')).status).toBe(401);
  // an unset reference resolves to '' and never matches, not even an empty bearer
  expect((await call('/r', 'GET', '')).status).toBe(401);
  expect((await app.request('/r?token=read-token-1')).status).toBe(200);
});
