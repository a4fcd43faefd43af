import { compress } from 'hono/compress';
import type { Context } from 'hono';
import type { VigilConfig } from '@vigil/config';
import type { Mount } from '../app.js';
import type { ApiDeps } from '../deps.js';
import { renderedBody, sharedStatus, snapshot } from '../snapshot.js';
import { statusCss } from '../pages/status/assets.js';
import { cached, cachedBody } from '../pages/status/cache.js';
import { loadStatusPage, publicServiceIds } from '../pages/status/model.js';
import { overviewPage, servicePage } from '../pages/status/pages.js';

/** Pages are recomputed at most this often per cache; the evaluator ticks every minute. */
const PAGE_CACHE = 'public, max-age=30, must-revalidate';
/** pages link it with `?v=<hash>`, so a new release is a new URL */
const CSS_CACHE = 'public, max-age=86400';
const HTML = 'text/html; charset=utf-8';

/**
 * The public status page: `GET /` (every public service) and `GET /services/{id}` (one; 404 when it is
 * not public). No token, no script; only services (and provider names and states when
 * `statusPage.providers`), never probe details or URLs. Each page is rendered (and gzipped) once per
 * snapshot (see snapshot.ts), so a request reads nothing and renders nothing.
 */
export const statusPageMount: Mount = (app, deps) => {
  app.get('/assets/status.css', compress(), (c) =>
    cached(c, statusCss().text, { type: 'text/css; charset=utf-8', cacheControl: CSS_CACHE }),
  );
  app.get('/', async (c) => {
    const config = deps.config();
    if (!config) return starting(c);
    return cachedBody(c, await page(deps, config), { type: HTML, cacheControl: PAGE_CACHE });
  });
  app.get('/services/:id', async (c) => {
    const config = deps.config();
    if (!config) return starting(c);
    const id = c.req.param('id');
    if (!publicServiceIds(config).includes(id)) return c.text('Not found', 404);
    return cachedBody(c, await page(deps, config, id), { type: HTML, cacheControl: PAGE_CACHE });
  });
};

/** The overview page, or one service's, as rendered from the current snapshot. */
function page(deps: ApiDeps, config: VigilConfig, service?: string) {
  return snapshot(deps, `status-page:${service ?? ''}`, config, async (now) => {
    const model = await loadStatusPage(deps.db, config, now, () => sharedStatus(deps, config), service);
    return renderedBody((service === undefined ? overviewPage(model) : servicePage(model)).value);
  });
}

const starting = (c: Context) => c.text('Starting: no configuration loaded yet', 503, { 'retry-after': '5' });
