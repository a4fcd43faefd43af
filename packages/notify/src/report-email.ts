import type { Env } from '@vigil/core';
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer/index.js';
import { emailConfigSchema, sendSmtp } from './email.js';

/** A rendered manager report: HTML with a plain-text alternative, the CSV and the PDF attached. */
export interface ReportEmail {
  /** the report's file stem, e.g. `weekly-2026-W47`: names the attachment and the Message-ID */
  id: string;
  subject: string;
  html: string;
  text: string;
  csv: string;
  /** the PDF of the full report (`application/pdf`, `<id>.pdf`); not attached when absent */
  pdf?: Buffer;
  to: string[];
}

export interface ReportEmailOptions {
  /** the email channel whose SMTP settings are used, for error messages; @defaultValue `email` */
  channel?: string;
  /** @defaultValue 30 000 */
  timeoutMs?: number;
}

/**
 * Sends a report through the SMTP server and `from` of an email channel's config (its own `to` is not
 * used: reports go to their recipients). Resolves `${env:…}` here only; throws DeliveryError, secret-free.
 */
export async function sendReportEmail(
  msg: ReportEmail,
  channelConfig: unknown,
  env: Env,
  opts: ReportEmailOptions = {},
): Promise<void> {
  const channel = opts.channel ?? 'email';
  await sendSmtp(
    channelConfig,
    {
      channel,
      timeoutMs: opts.timeoutMs ?? 30_000,
      env,
      failure: `report email through "${channel}" failed`,
      parse: (raw) => emailConfigSchema.parse(raw),
    },
    (c) => mailOf(msg, c.from, c.messageIdDomain),
  );
}

/** The report as an RFC 5322 message (`.eml`, CRLF), exactly what sendReportEmail would send. */
export async function buildReportEml(msg: ReportEmail, from: string): Promise<Buffer> {
  const transport = nodemailer.createTransport({
    streamTransport: true,
    buffer: true,
    newline: 'windows',
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  const info = await transport.sendMail(mailOf(msg, from));
  return info.message as Buffer;
}

function mailOf(msg: ReportEmail, from: string, domain?: string): Mail.Options {
  const host = domain ?? /@([A-Za-z0-9.-]+)>?\s*$/.exec(from)?.[1] ?? 'vigil.invalid';
  return {
    from,
    to: msg.to,
    subject: msg.subject.replace(/[\r\n]+/g, ' '),
    text: msg.text,
    html: msg.html,
    messageId: `<report-${msg.id.replace(/[^A-Za-z0-9._-]/g, '_')}@${host}>`,
    headers: { 'Auto-Submitted': 'auto-generated', 'X-Vigil-Report': msg.id.replace(/[^\x20-\x7e]/g, '') },
    attachments: [
      { filename: `${msg.id}.csv`, content: msg.csv, contentType: 'text/csv; charset=utf-8' },
      ...(msg.pdf ? [{ filename: `${msg.id}.pdf`, content: msg.pdf, contentType: 'application/pdf' }] : []),
    ],
  };
}
