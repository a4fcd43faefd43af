import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { extname, join, resolve } from 'node:path';
import { Argument, type Command } from 'commander';
import type { VigilConfig } from '@vigil/config';
import { parsePeriodKey, periodOf, previousPeriod, type Period } from '@vigil/core';
import { migrate } from '@vigil/db';
import { generateReport, PERIOD_KIND, REPORT_KINDS } from '@vigil/evaluation';
import {
  deliverReport,
  REPORT_EXTENSIONS,
  renderReport,
  reportChannel,
  reportFile,
  type ReportExtension,
} from '@vigil/evaluator';
import { renderPdf, renderText, type ReportKind } from '@vigil/reports';
import { systemClock } from '@vigil/runtime';
import { configRoot, loadOrExit } from '../context.js';
import { timeZone } from '../options.js';
import { openStore, stateDir } from '../store.js';

interface ReportOptions {
  period?: string;
  tz?: string;
  out?: string;
  send?: boolean;
}

const EXTENSION: Record<string, ReportExtension> = {
  '.html': 'html',
  '.htm': 'html',
  '.txt': 'txt',
  '.csv': 'csv',
  '.pdf': 'pdf',
  '.eml': 'eml',
};

export function registerReport(program: Command): void {
  program
    .command('report')
    .description(
      'build a manager report from the stored rollups: print it, write it (--out) or send it (--send)',
    )
    .addArgument(new Argument('<kind>', 'which report').choices(REPORT_KINDS))
    .option(
      '--period <key>',
      'e.g. 2026-W47, 2026-11 or 2026-Q4; default: the last completed period (the current key reports the period so far)',
    )
    .option('--tz <zone>', 'IANA time zone; default: reports.<kind>.tz, else vigil.yaml timezone', timeZone)
    .option(
      '--out <file>',
      `write one file; the extension picks the format: ${REPORT_EXTENSIONS.map((e) => `.${e}`).join(' ')}`,
    )
    .option(
      '--send',
      'email it to reports.<kind>.recipients through the first email channel (else write .vigil/reports/); does not count as the scheduled send',
    )
    .addHelpText(
      'after',
      `
Reads DATABASE_URL, or the embedded database under VIGIL_STATE_DIR (default .vigil): through the
\`vigil run\` / \`vigil demo\` that owns it while one runs, e.g.
  VIGIL_STATE_DIR=.vigil/demo npx vigil -C probes/demo report weekly --out weekly.html`,
    )
    .action(async (kind: ReportKind, opts: ReportOptions, cmd: Command) => {
      const config = await loadOrExit(configRoot(cmd));
      const settings = config.reports[kind];
      const tz = opts.tz ?? settings?.tz ?? config.timezone;
      const period = periodFor(kind, opts.period, tz);
      const ext = opts.out === undefined ? null : EXTENSION[extname(opts.out).toLowerCase()];
      if (ext === undefined) return usage(`--out must end in ${Object.keys(EXTENSION).join(', ')}`);
      if (opts.send && !settings) return usage(`--send needs reports.${kind}.recipients in vigil.yaml`);
      if (period === null)
        return usage(`--period "${opts.period}" is not a ${PERIOD_KIND[kind]} like ${example(kind)}`);

      const h = await openStore({ command: 'report' });
      try {
        await migrate(h);
        const model = await generateReport(h.db, config, {
          kind,
          period,
          scope: settings?.scope,
          generatedAt: systemClock.now(),
          onProgress: progressBar(),
        });
        const render = () => renderReport(model, settings?.recipients ?? []);
        if (opts.out !== undefined && ext !== null) {
          if (ext === 'pdf') {
            // streamed to the file: the PDF of a big fleet never sits in memory whole
            await pipeline(await renderPdf(model), createWriteStream(opts.out));
          } else await writeFile(opts.out, await reportFile(await render(), ext, fromOf(config)));
          console.error(`wrote ${resolve(opts.out)}`);
        }
        if (opts.send) {
          const rendered = await render();
          const d = await deliverReport(rendered, {
            config,
            env: process.env,
            dir: join(stateDir(), 'reports'),
          });
          console.error(
            d.delivery === 'smtp'
              ? `sent to ${rendered.to.join(', ')} through "${d.channel}"`
              : `no email channel configured: wrote ${d.files.join(', ')}`,
          );
        }
        if (opts.out === undefined && !opts.send) process.stdout.write(renderText(model));
      } finally {
        await h.close();
      }
    });
}

function periodFor(kind: ReportKind, key: string | undefined, tz: string): Period | null {
  if (key === undefined) return previousPeriod(periodOf(PERIOD_KIND[kind], systemClock.now(), tz));
  try {
    const p = parsePeriodKey(key, tz);
    return p.kind === PERIOD_KIND[kind] ? p : null;
  } catch (err) {
    if ((err as { code?: string }).code === 'INVALID_PERIOD_KEY') return null;
    throw err;
  }
}

function example(kind: ReportKind): string {
  return kind === 'weekly' ? '2026-W47' : kind === 'monthly' ? '2026-11' : '2026-Q4';
}

function fromOf(config: VigilConfig): string | undefined {
  const from = (reportChannel(config)?.config as { from?: unknown } | undefined)?.from;
  return typeof from === 'string' ? from : undefined;
}

function usage(message: string): void {
  console.error(`vigil: ${message}`);
  process.exitCode = 2;
}

/** A one-line bar on stderr, only when it is a terminal and the fleet is big enough to wait for. */
function progressBar(): ((done: number, total: number) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  return (done, total) => {
    if (total <= 100) return;
    const width = 30;
    const filled = Math.round((done / total) * width);
    process.stderr.write(
      `\rreading rollups [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} probes`,
    );
    if (done === total) process.stderr.write('\n');
  };
}
