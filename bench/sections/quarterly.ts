import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { bundleEntry } from '../lib/bundle.js';
import { round } from '../lib/stats.js';
import type { KeyValue, Section } from './types.js';

const run = promisify(execFile);
const PROBES = 1_000;
/** V8 otherwise lets the heap grow far past what it keeps alive; a capped heap shows the working set */
const HEAP_MB = 160;

interface QuarterlyFigures {
  rollups: number;
  totalMs: number;
  totalCpuMs: number;
  buildCpuMs: number;
  renderCpuMs: number;
  buildMs: number;
  renderMs: number;
  pdfMs: number;
  peakRssMb: number;
  pdfBytes: number;
  pdfPages: number;
  memory: { phase: string; rssMb: number; heapUsedMb: number; externalMb: number }[];
  htmlBytes: number;
}

interface WeeklyFigures {
  buildMs: number;
  renderMs: number;
  htmlBytes: number;
  textBytes: number;
  pdfBytes: number;
}

/** Gmail clips an email body past ~102 KB: the HTML part's limit */
const HTML_LIMIT = 100_000;

/**
 * A quarterly report for 1,000 probes (92 days of hourly rollups, merged per local day as the report
 * reads them from Postgres): build + render (HTML, text, CSV and PDF) time and peak RSS, in a child
 * process of its own, bundled as the image runs it (no tsx in the process: it alone is ~30 MB of RSS).
 */
export const quarterly: Section = {
  name: 'quarterly',
  async run(ctx) {
    const script = await bundleEntry(join('bench', 'children', 'quarterly.ts'), 'quarterly-report');
    const { stdout } = await run(process.execPath, [`--max-old-space-size=${HEAP_MB}`, script], {
      env: { ...process.env, BENCH_REPORT_PROBES: String(PROBES), BENCH_REPORT_DAILY: '1' },
      maxBuffer: 1 << 20,
      timeout: 300_000,
    });
    const f = JSON.parse(stdout.trim().split('\n').pop()!) as QuarterlyFigures;
    ctx.log(`quarterly: ${f.totalMs} ms, peak RSS ${f.peakRssMb} MiB, HTML ${f.htmlBytes} bytes`);
    const weekly = await run(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, '..', 'children', 'weekly-report.ts')],
      { env: { ...process.env, BENCH_REPORT_PROBES: String(PROBES) }, maxBuffer: 1 << 20, timeout: 300_000 },
    );
    const w = JSON.parse(weekly.stdout.trim().split('\n').pop()!) as WeeklyFigures;
    ctx.log(`weekly: HTML ${w.htmlBytes} bytes, build ${w.buildMs} ms + render ${w.renderMs} ms`);
    const keys: Record<string, KeyValue> = {
      quarterly_report_ms: f.totalMs,
      quarterly_report_cpu_ms: f.totalCpuMs,
      quarterly_build_cpu_ms: f.buildCpuMs,
      quarterly_render_cpu_ms: f.renderCpuMs,
      quarterly_report_rss_mb: f.peakRssMb,
      quarterly_probes: PROBES,
      quarterly_rollups: f.rollups,
      report_pdf_bytes: f.pdfBytes,
      report_pdf_pages: f.pdfPages,
      quarterly_pdf_ms: f.pdfMs,
      quarterly_rss_after_build_mb: f.memory.find((m) => m.phase === 'built')?.rssMb ?? null,
      report_html_bytes: f.htmlBytes,
      report_html_bytes_weekly: w.htmlBytes,
      report_text_bytes_weekly: w.textBytes,
      report_pdf_bytes_weekly: w.pdfBytes,
      report_weekly_build_ms: w.buildMs,
      report_weekly_render_ms: w.renderMs,
      // reports over seeded rollups: no probe runs and no evaluator judges, so nothing can open
      quarterly_false_incidents: null,
    };
    return {
      keys,
      rows: [
        {
          metric: `quarterly report, ${PROBES} probes`,
          value: f.totalMs,
          unit: 'ms',
          note: `build ${f.buildMs} ms + render ${f.renderMs} ms (HTML + text + CSV + PDF; PDF ${f.pdfMs} ms); CPU ${f.totalCpuMs} ms (build ${f.buildCpuMs} + render ${f.renderCpuMs}): wall clock is CPU plus waiting for a core on a shared machine; target < 5,000 ms`,
        },
        {
          metric: 'quarterly report peak RSS',
          value: f.peakRssMb,
          unit: 'MiB',
          note: `whole process (bundled, heap capped at ${HEAP_MB} MB) incl. ${round(f.rollups / 1e6, 1)} M synthetic rollups; RSS after ${f.memory.map((m) => `${m.phase} ${m.rssMb}`).join(', ')}; target < 300 MB`,
        },
        {
          metric: `quarterly report PDF, ${PROBES} probes`,
          value: f.pdfBytes,
          unit: 'bytes',
          note: `${f.pdfPages} pages in ${f.pdfMs} ms`,
        },
        {
          metric: `quarterly report email HTML, ${PROBES} probes`,
          value: f.htmlBytes,
          unit: 'bytes',
          note: `target ≤ ${HTML_LIMIT.toLocaleString('en')} (Gmail clips past ~102 KB)`,
        },
        {
          metric: `weekly report email HTML, ${PROBES} probes`,
          value: w.htmlBytes,
          unit: 'bytes',
          note: `text ${w.textBytes} bytes, PDF ${w.pdfBytes} bytes; build ${w.buildMs} ms + render ${w.renderMs} ms; target ≤ ${HTML_LIMIT.toLocaleString('en')}`,
        },
      ],
    };
  },
};
