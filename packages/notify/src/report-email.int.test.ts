import { simpleParser } from 'mailparser';
import { startSmtpSink, type SmtpSink } from '@vigil/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeliveryError } from './errors.js';
import { buildReportEml, sendReportEmail, type ReportEmail } from './report-email.js';

let sink: SmtpSink;
beforeEach(async () => {
  sink = await startSmtpSink();
});
afterEach(() => sink.close());

const report: ReportEmail = {
  id: 'weekly-2026-W47',
  subject: 'Vigil weekly uptime 2026-W47: 11/12 APIs met 98%',
  html: '<!doctype html><html><body><h1>Weekly uptime</h1></body></html>',
  text: 'Weekly uptime\n11/12 APIs met 98%\n',
  csv: 'report,period\r\nweekly,2026-W47\r\n',
  to: ['managers@example.com', 'cto@example.com'],
};

const channel = (port: number, over: Record<string, unknown> = {}) => ({
  type: 'email',
  smtp: { host: '127.0.0.1', port },
  from: 'Vigil <vigil@reports.example.com>',
  to: ['oncall@example.com'],
  ...over,
});

describe('report email', () => {
  it('reaches the report recipients over real SMTP with html, text and the csv attached', async () => {
    await sendReportEmail(report, channel(sink.port), {});
    const [mail] = await sink.waitFor(1, 5_000);
    expect(sink.envelopes[0]!.to).toEqual(['managers@example.com', 'cto@example.com']);
    expect(mail!.subject).toBe(report.subject);
    expect(mail!.from?.text).toBe('"Vigil" <vigil@reports.example.com>');
    expect(mail!.html).toContain('<h1>Weekly uptime</h1>');
    expect(mail!.text).toBe(report.text);
    expect(mail!.messageId).toBe('<report-weekly-2026-W47@reports.example.com>');
    expect(mail!.attachments).toHaveLength(1);
    expect(mail!.attachments[0]!.filename).toBe('weekly-2026-W47.csv');
    expect(mail!.attachments[0]!.contentType).toBe('text/csv');
    expect(mail!.attachments[0]!.content.toString('utf8')).toBe(report.csv);
  });

  it('resolves the SMTP password from the environment and never puts it in an error', async () => {
    const cfg = channel(1, { smtp: { host: '127.0.0.1', port: 1, user: 'u', pass: '${env:SMTP_PW}' } });
    const err = await sendReportEmail(report, cfg, { SMTP_PW: 'hunter2-secret' }, { timeoutMs: 2_000 }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DeliveryError);
    expect((err as DeliveryError).retryable).toBe(true);
    expect(JSON.stringify(err, Object.getOwnPropertyNames(err))).not.toContain('hunter2-secret');
  });

  it('fails without retry when the channel lacks a referenced variable', async () => {
    const cfg = channel(sink.port, {
      smtp: { host: '127.0.0.1', port: sink.port, user: 'u', pass: '${env:SMTP_PW}' },
    });
    await expect(sendReportEmail(report, cfg, {})).rejects.toMatchObject({
      code: 'DELIVERY_FAILED',
      retryable: false,
    });
    expect(sink.messages).toHaveLength(0);
  });

  it('attaches the PDF next to the CSV when the report has one', async () => {
    const pdf = Buffer.from('%PDF-1.3\n%\xff\xfe\x00 binary\n%%EOF\n', 'latin1');
    await sendReportEmail({ ...report, pdf }, channel(sink.port), {});
    const [mail] = await sink.waitFor(1, 5_000);
    expect(mail!.attachments.map((a) => [a.filename, a.contentType])).toEqual([
      ['weekly-2026-W47.csv', 'text/csv'],
      ['weekly-2026-W47.pdf', 'application/pdf'],
    ]);
    expect(mail!.attachments[1]!.content.equals(pdf)).toBe(true);
  });

  it('builds the same message as an .eml file', async () => {
    const eml = await buildReportEml(report, 'vigil@example.com');
    expect(eml.toString('latin1')).toContain('\r\n');
    const mail = await simpleParser(eml);
    expect(mail.subject).toBe(report.subject);
    expect(mail.text).toBe(report.text);
    expect(mail.attachments[0]!.content.toString('utf8')).toBe(report.csv);
    expect(mail.messageId).toBe('<report-weekly-2026-W47@example.com>');
  });
});
