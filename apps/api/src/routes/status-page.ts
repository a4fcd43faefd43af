import { compress } from 'hono/compress';
import type { Mount } from '../app.js';
import { sharedStatus } from '../snapshot.js';
import { statusCss } from '../pages/status/assets.js';
import { cached } from '../pages/status/cache.js';
import { loadStatusPage, publicServiceIds } from '../pages/status/model.js';
import { overviewPage, servicePage } from '../pages/status/pages.js';

/** Pages are recomputed at most this often per cache; the evaluator ticks every minute. */
const PAGE_CACHE = 'public, max-age=30, must-revalidate';
/** pages link it with `?v=<hash>`, so a new release is a new URL */
const CSS_CACHE = 'public, max-age=86400';

/**
 * The public status page: `GET /` (every public service) and `GET /services/{id}` (one; 404 when it is
 * not public). No token, no script; only services (and provider names and states when
 * `statusPage.providers`), never probe details or URLs.
 */
export const statusPageMount: Mount = (app, deps) => {
  app.get('/assets/status.css', compress(), (c) =>
    cached(c, statusCss().text, { type: 'text/css; charset=utf-8', cacheControl: CSS_CACHE }),
  );
  app.get('/', compress(), async (c) => {
    const config = deps.config();
    if (!config) return c.text('Starting: no configuration loaded yet', 503, { 'retry-after': '5' });
    const model = await loadStatusPage(deps.db, config, deps.clock.now(), () => sharedStatus(deps, config));
    return cached(c, overviewPage(model).value, {
      type: 'text/html; charset=utf-8',
      cacheControl: PAGE_CACHE,
    });
  });
  app.get('/services/:id', compress(), async (c) => {
    const config = deps.config();
    if (!config) return c.text('Starting: no configuration loaded yet', 503, { 'retry-after': '5' });
    const id = c.req.param('id');
    if (!publicServiceIds(config).includes(id)) return c.text('Not found', 404);
    const model = await loadStatusPage(
      deps.db,
      config,
      deps.clock.now(),
      () => sharedStatus(deps, config),
      id,
    );
    return cached(c, servicePage(model).value, {
      type: 'text/html; charset=utf-8',
      cacheControl: PAGE_CACHE,
    });
  });
};
