import { perSecond, round } from '../lib/stats.js';
import type { KeyValue, Section } from './types.js';

/** What @vigil/reports is expected to export for this section (absent until that package adds it). */
type BenchQuarterly = (o: { probes: number; databaseUrl: string }) => Promise<Record<string, unknown> | void>;

const PROBES = 1_000;

/**
 * The quarterly report for 1,000 probes, timed — when @vigil/reports exports `benchQuarterly`; until
 * then the section reports that it was skipped.
 */
export const quarterly: Section = {
  name: 'quarterly',
  async run(ctx) {
    const mod = (await import('@vigil/reports')) as Record<string, unknown>;
    const bench = mod.benchQuarterly;
    if (typeof bench !== 'function') {
      ctx.log('quarterly: @vigil/reports exports no benchQuarterly yet; skipped');
      return {
        keys: { quarterly_report_ms: null },
        rows: [
          { metric: 'quarterly report', value: 'skipped', note: '@vigil/reports has no benchQuarterly yet' },
        ],
      };
    }
    const t0 = performance.now();
    const out = await (bench as BenchQuarterly)({ probes: PROBES, databaseUrl: ctx.opts.databaseUrl });
    const ms = performance.now() - t0;
    const keys: Record<string, KeyValue> = { quarterly_report_ms: round(ms, 1), quarterly_probes: PROBES };
    for (const [k, v] of Object.entries(out ?? {}))
      if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean')
        keys[`quarterly_${k}`] = v;
    return {
      keys,
      rows: [
        {
          metric: `quarterly report, ${PROBES} probes`,
          value: keys.quarterly_report_ms ?? null,
          unit: 'ms',
          note: `${round(perSecond(PROBES, ms), 1)} probes/s`,
        },
      ],
    };
  },
};
