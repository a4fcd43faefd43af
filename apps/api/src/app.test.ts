import { afterEach, beforeEach, expect, it } from 'vitest';
import { apiHarness, config, spec, type ApiHarness } from './testing/harness.js';

let h: ApiHarness;
beforeEach(async () => {
  h = await apiHarness({
    config: { ...config([spec()]), api: undefined },
    env: { VIGIL_TOKEN_R: 'read-token-1', VIGIL_TOKEN_W: 'write-token-2' },
  });
});
afterEach(() => h.close());

it('answers health checks and names an unknown route, with the security headers on every response', async () => {
  const ok = await h.request('/healthz');
  expect(ok.status).toBe(200);
  expect(ok.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
  expect(ok.headers.get('access-control-allow-origin')).toBeNull();
  const missing = await h.request('/api/v1/nope');
  expect(missing.status).toBe(404);
  expect(await missing.json()).toEqual({ error: 'not_found', message: 'no route GET /api/v1/nope' });
});
