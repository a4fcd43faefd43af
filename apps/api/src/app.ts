import { Hono } from 'hono';
import type { ApiDeps } from './deps.js';
import { securityHeaders } from './security.js';
import { pingMount } from './routes/ping.js';
import { statusPageMount } from './routes/status-page.js';
import { badgesMount } from './routes/badges.js';
import { dashboardMount } from './routes/dashboard.js';
import { apiV1 } from './routes/api-v1.js';
import { metricsMount } from './routes/metrics.js';

/** A part of the web surface: mounts its routes on the app. Adding one is a file and a line below. */
export type Mount = (app: Hono, deps: ApiDeps) => void;

const MOUNTS: Mount[] = [statusPageMount, badgesMount, dashboardMount, pingMount, apiV1, metricsMount];

/** The whole web surface as one Hono app (served by `startApiRole`, or driven by `app.request()` in tests). */
export function createApi(deps: ApiDeps): Hono {
  const app = new Hono();
  app.use(securityHeaders());
  app.get('/healthz', (c) => c.text('ok'));
  for (const mount of MOUNTS) mount(app, deps);
  app.onError((err, c) => {
    deps.log.error({ err: err.message, path: c.req.path }, 'api request failed');
    return c.req.path.startsWith('/api/')
      ? c.json({ error: 'internal', message: 'the request failed; see the server log' }, 500)
      : c.text('Internal error; see the server log', 500);
  });
  app.notFound((c) =>
    c.req.path.startsWith('/api/')
      ? c.json({ error: 'not_found', message: `no route ${c.req.method} ${c.req.path}` }, 404)
      : c.text('Not found', 404),
  );
  return app;
}
