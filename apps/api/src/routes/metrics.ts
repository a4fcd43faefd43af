import { apiOf } from '@vigil/config';
import { readMetrics } from '@vigil/evaluation';
import { compress } from 'hono/compress';
import type { Mount } from '../app.js';
import { requireScope } from '../auth.js';
import { metricFamilies, processFigures } from '../metrics/collect.js';
import { CONTENT_TYPE, negotiate, render } from '../metrics/exposition.js';

/**
 * `GET /metrics`: Prometheus text format 0.0.4, or OpenMetrics 1.0 when the Accept header asks for
 * `application/openmetrics-text`. Needs a `read` token unless vigil.yaml `api.metrics.public: true`.
 */
export const metricsMount: Mount = (app, deps) => {
  const read = requireScope(deps, 'read');
  app.use('/metrics', async (c, next) => {
    const config = deps.config();
    if (config && apiOf(config).metrics.public) return next();
    return read(c, next);
  });
  app.get('/metrics', compress(), async (c) => {
    const config = deps.config();
    if (!config) return c.text('Starting: no configuration loaded yet\n', 503, { 'retry-after': '5' });
    const [snap, proc] = await Promise.all([
      readMetrics(deps.db, config, deps.clock.now()),
      processFigures(),
    ]);
    const format = negotiate(c.req.header('accept'));
    return c.body(render(metricFamilies(config, snap, proc), format), 200, {
      'content-type': CONTENT_TYPE[format],
      'cache-control': 'no-store',
      vary: 'Accept, Authorization',
    });
  });
};
