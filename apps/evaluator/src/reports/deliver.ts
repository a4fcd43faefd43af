import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { VigilConfig } from '@vigil/config';
import type { Env } from '@vigil/core';
import { buildReportEml, sendReportEmail, type ReportEmail } from '@vigil/notify';
import {
  renderCsv,
  renderHtml,
  renderPdfBuffer,
  renderText,
  reportFileStem,
  reportSubject,
  type ReportModel,
} from '@vigil/reports';

/** The `from` of report files written when no email channel is configured. */
export const DEFAULT_REPORT_FROM = 'Vigil <vigil@localhost>';

export const REPORT_EXTENSIONS = ['html', 'txt', 'csv', 'pdf', 'eml'] as const;
export type ReportExtension = (typeof REPORT_EXTENSIONS)[number];

/** A report rendered for delivery, the PDF included; `id` is its file stem (`weekly-2026-W47`). */
export async function renderReport(model: ReportModel, recipients: readonly string[]): Promise<ReportEmail> {
  return {
    id: reportFileStem(model.name, model.period),
    subject: reportSubject(model),
    html: renderHtml(model).html,
    text: renderText(model),
    csv: renderCsv(model),
    pdf: await renderPdfBuffer(model),
    to: [...recipients],
  };
}

/** Reports go out through the first `email` channel of vigil.yaml (its SMTP server and `from`). */
export function reportChannel(
  config: Pick<VigilConfig, 'channels'>,
): { name: string; config: unknown } | null {
  const found = Object.entries(config.channels).find(([, c]) => c.type === 'email');
  return found ? { name: found[0], config: found[1] } : null;
}

/** One rendering of the report: the file content for an extension. */
export async function reportFile(
  r: ReportEmail,
  ext: ReportExtension,
  from = DEFAULT_REPORT_FROM,
): Promise<Buffer> {
  if (ext === 'eml') return buildReportEml(r, from);
  if (ext === 'pdf') {
    if (!r.pdf) throw new Error(`report ${r.id} was rendered without its PDF`);
    return r.pdf;
  }
  return Buffer.from(ext === 'html' ? r.html : ext === 'txt' ? r.text : r.csv, 'utf8');
}

/**
 * Writes `<dir>/<id>.{html,txt,csv,pdf,eml}` (each via a temporary file, so none is ever half written);
 * `.pdf` only when the report carries one.
 */
export async function writeReportFiles(
  r: ReportEmail,
  dir: string,
  from = DEFAULT_REPORT_FROM,
): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const paths: string[] = [];
  for (const ext of REPORT_EXTENSIONS) {
    if (ext === 'pdf' && !r.pdf) continue;
    const path = join(dir, `${r.id}.${ext}`);
    await writeFile(`${path}.tmp`, await reportFile(r, ext, from));
    await rename(`${path}.tmp`, path);
    paths.push(path);
  }
  return paths;
}

export type Delivery = { delivery: 'smtp'; channel: string } | { delivery: 'files'; files: string[] };

export interface DeliverOptions {
  config: Pick<VigilConfig, 'channels'>;
  env: Env;
  /** where report files go when no email channel is configured */
  dir: string;
  timeoutMs?: number;
}

/** Emails the report through the first email channel, or, with none configured, writes it to files. */
export async function deliverReport(r: ReportEmail, o: DeliverOptions): Promise<Delivery> {
  const channel = reportChannel(o.config);
  if (!channel) return { delivery: 'files', files: await writeReportFiles(r, o.dir) };
  await sendReportEmail(r, channel.config, o.env, { channel: channel.name, timeoutMs: o.timeoutMs });
  return { delivery: 'smtp', channel: channel.name };
}
