import { createTestDatabase } from '@vigil/testing';
import { benchEvaluator, benchStatus } from '../lib/evaluator-load.js';
import { falseIncidents } from '../lib/incidents.js';
import type { KeyValue, Section } from './types.js';

/**
 * The evaluator at 2,000 results/s (result stored → slot verdict committed, p99 target < 2 s), and
 * availability, error budget and p95 for 1,000 probes over 90 days from rollups (target < 1 s).
 */
export const evaluator: Section = {
  name: 'evaluator',
  async run(ctx) {
    const keys: Record<string, KeyValue> = {};
    const seconds = Math.max(10, Math.min(ctx.opts.seconds, 60));
    const db = await createTestDatabase('vigil_bench_eval');
    try {
      ctx.log(`evaluator: 2,000 results/s for ${seconds} s`);
      for (const [k, v] of Object.entries(await benchEvaluator({ databaseUrl: db.url, seconds })))
        keys[`evaluator_${k}`] = v;
      // its results are up at 110 ms with a lone down slot now and then: no incident should open
      keys.evaluator_false_incidents = (await falseIncidents(db.url)).total;
    } finally {
      await db.drop();
    }
    const db2 = await createTestDatabase('vigil_bench_status');
    try {
      ctx.log('evaluator: status over 90 days for 1,000 probes');
      for (const [k, v] of Object.entries(
        await benchStatus({ databaseUrl: db2.url, probes: 1000, days: 90 }),
      ))
        keys[`status_${k}`] = v;
    } finally {
      await db2.drop();
    }
    return {
      keys,
      rows: Object.entries(keys).map(([metric, value]) => ({ metric, value })),
    };
  },
};
