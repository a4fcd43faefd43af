import { createTestDatabase } from '@vigil/testing';
import { benchApi } from '../lib/api-load.js';
import { falseIncidents } from '../lib/incidents.js';
import type { KeyValue, Section } from './types.js';

/**
 * The web surface under 100 concurrent clients with 1,000 probes × 90 days stored and the evaluator
 * running: the status page and /api/v1/status (targets p99 < 100 ms), the dashboard's first load
 * (target < 250 ms).
 */
export const api: Section = {
  name: 'api',
  async run(ctx) {
    const seconds = Math.max(5, Math.min(ctx.opts.seconds, 30));
    const db = await createTestDatabase('vigil_bench_api');
    try {
      ctx.log(`api: 100 clients, ${seconds} s per path, 1,000 probes × 90 days`);
      const keys: Record<string, KeyValue> = {};
      for (const [k, v] of Object.entries(
        await benchApi({
          databaseUrl: db.url,
          seconds,
          // browsers ask for gzip; API clients often do not
          paths: [
            { path: '/', gzip: true },
            '/api/v1/status',
            { path: '/api/v1/status', gzip: true },
            { path: '/dashboard', gzip: true },
          ],
        }),
      ))
        keys[`api_${k}`] = v;
      // the evaluator ticking under the load judged results that are all up at 110 ms
      keys.api_false_incidents = (await falseIncidents(db.url)).total;
      return { keys, rows: Object.entries(keys).map(([metric, value]) => ({ metric, value })) };
    } finally {
      await db.drop();
    }
  },
};
