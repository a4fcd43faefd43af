import { resolveEnv, secretValues, type Env } from '@vigil/core';
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer/index.js';
import { z } from 'zod';
import { DeliveryError, messageOf, scrub, scrubbedCause } from './errors.js';
import { alertLinks, facts, headline, label, oneLine, textBody, truncate, when, where } from './format.js';
import { secretRef, singleLine } from './secret-ref.js';
import type { AlertEvent, Notifier, SendContext } from './types.js';

const address = singleLine.regex(/@/, 'must be an email address');

export const emailConfigSchema = z.strictObject({
  type: z.literal('email').optional(),
  smtp: z.strictObject({
    host: singleLine,
    port: z.number().int().min(1).max(65_535).default(587),
    /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it */
    secure: z.boolean().default(false),
    requireTLS: z.boolean().default(false),
    user: singleLine.optional(),
    pass: secretRef('smtp.pass').optional(),
  }),
  from: address,
  to: z.array(address).min(1),
  cc: z.array(address).optional(),
  /** right-hand side of Message-IDs; defaults to the domain of `from` */
  messageIdDomain: z
    .string()
    .regex(/^[A-Za-z0-9.-]+$/, 'must be a domain name')
    .optional(),
});
export type EmailConfig = z.infer<typeof emailConfigSchema>;

export interface EmailMessage {
  subject: string;
  text: string;
  html: string;
  messageId: string;
  /** the opening message, for every later event of the incident */
  inReplyTo: string | null;
  references: string[];
  headers: Record<string, string>;
  priority: 'high' | 'normal';
}

export const emailNotifier: Notifier<EmailConfig, EmailMessage> = {
  type: 'email',
  configSchema: emailConfigSchema,
  render: renderEmail,
  send: sendEmail,
};

const COLOR: Record<AlertEvent['event'], string> = {
  opened: '#c62828',
  reminder: '#c62828',
  resolved: '#2e7d32',
  flapping: '#ef6c00',
  settled: '#1565c0',
  declaration: '#6a1b9a',
};

/** `<incident-{id}-{event}@domain>`; repeatable events add the outbox id so each stays unique. */
export function messageIdOf(e: Pick<AlertEvent, 'incidentId' | 'event' | 'id'>, domain: string): string {
  const repeatable =
    e.event === 'reminder' || e.event === 'flapping' || e.event === 'settled' || e.event === 'declaration';
  const local = `incident-${idPart(e.incidentId)}-${e.event}${repeatable ? `-${idPart(e.id)}` : ''}`;
  return `<${local}@${domain}>`;
}

function renderEmail(e: AlertEvent, cfg: EmailConfig): EmailMessage {
  const domain = cfg.messageIdDomain ?? domainOf(cfg.from) ?? 'vigil.invalid';
  const opening = messageIdOf({ incidentId: e.incidentId, event: 'opened', id: e.id }, domain);
  const isOpening = e.event === 'opened';
  return {
    subject: truncate(headline(e), 200),
    text: textBody(e),
    html: html(e),
    messageId: messageIdOf(e, domain),
    inReplyTo: isOpening ? null : opening,
    references: isOpening ? [] : [opening],
    headers: {
      'Auto-Submitted': 'auto-generated',
      'X-Vigil-Incident': idPart(e.incidentId),
      'X-Vigil-Event': e.event,
    },
    priority: e.severity === 'page' && (isOpening || e.event === 'reminder') ? 'high' : 'normal',
  };
}

async function sendEmail(msg: EmailMessage, cfg: EmailConfig, ctx: SendContext): Promise<void> {
  const failure = `email delivery to "${ctx.channel}" failed`;
  await sendSmtp(cfg, { channel: ctx.channel, timeoutMs: ctx.timeoutMs, env: ctx.env, failure }, (c) => ({
    from: c.from,
    to: c.to,
    ...(c.cc ? { cc: c.cc } : {}),
    subject: msg.subject,
    text: msg.text,
    html: msg.html,
    messageId: msg.messageId,
    ...(msg.inReplyTo ? { inReplyTo: msg.inReplyTo, references: msg.references } : {}),
    headers: msg.headers,
    priority: msg.priority,
  }));
}

function html(e: AlertEvent): string {
  const rows = facts(e)
    .map(
      (f) =>
        `<tr><th align="left" style="padding:4px 12px 4px 0;color:#57606a;font-weight:normal;white-space:nowrap">${h(f.label)}</th><td style="padding:4px 0">${h(f.value)}</td></tr>`,
    )
    .join('\n');
  const links = alertLinks(e)
    .map((l) => `<a href="${h(l.url)}" style="color:#0969da">${h(l.button)}</a>`)
    .join(' · ');
  return [
    '<!doctype html>',
    '<html><head><meta charset="utf-8"><meta name="color-scheme" content="light"></head>',
    '<body style="margin:0;padding:16px;background:#ffffff;color:#1f2328;font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;font-size:14px">',
    '<table role="presentation" cellpadding="0" cellspacing="0" style="max-width:640px;width:100%;border-collapse:collapse">',
    `<tr><td style="padding:8px 12px;background:${COLOR[e.event]};color:#ffffff;font-weight:bold;letter-spacing:0.5px">${h(label(e))}</td></tr>`,
    `<tr><td style="padding:12px 0 4px"><div style="font-size:18px;font-weight:bold">${h(oneLine(e.title))}</div>`,
    `<div style="color:#57606a">${h([where(e), when(e)].filter(Boolean).join(' — '))}</div></td></tr>`,
    `<tr><td style="padding:8px 0"><table role="presentation" cellpadding="0" cellspacing="0" style="border-collapse:collapse">\n${rows}\n</table></td></tr>`,
    e.lastError
      ? `<tr><td style="padding:8px 0"><div style="color:#57606a">Last error</div><pre style="margin:4px 0;padding:8px;background:#f6f8fa;white-space:pre-wrap;word-break:break-word">${h(truncate(e.lastError, 1000))}</pre></td></tr>`
      : '',
    links ? `<tr><td style="padding:8px 0">${links}</td></tr>` : '',
    `<tr><td style="padding:16px 0 0;color:#8c959f;font-size:12px">Vigil · incident ${h(oneLine(e.incidentId))} · ${h(e.event)} at ${h(new Date(e.at).toISOString())}</td></tr>`,
    '</table></body></html>',
    '',
  ]
    .filter((l) => l !== '')
    .join('\n');
}

/** An SMTP transport for resolved settings: every wait bounded, no file or URL content pulled in. */
export function smtpTransport(c: EmailConfig, timeoutMs: number) {
  return nodemailer.createTransport({
    host: c.smtp.host,
    port: c.smtp.port,
    secure: c.smtp.secure,
    requireTLS: c.smtp.requireTLS,
    ...(c.smtp.user !== undefined ? { auth: { user: c.smtp.user, pass: c.smtp.pass ?? '' } } : {}),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    disableFileAccess: true,
    disableUrlAccess: true,
  });
}

export interface SmtpSendOptions {
  /** the channel whose SMTP settings are used, named in the error */
  channel: string;
  /** bounds the connection, the greeting and every socket wait */
  timeoutMs: number;
  env: Env;
  /** how every error message begins, e.g. `email delivery to "ops" failed` */
  failure: string;
  /** for a channel config not yet validated: parses it before `${env:…}` are resolved */
  parse?: (raw: unknown) => EmailConfig;
}

/**
 * Sends one message through an email channel's SMTP server, `${env:…}` resolved here only. Every failure is
 * a secret-free DeliveryError: a config that does not parse or resolve, or a 5xx reply, is final; any other
 * reply or a connection failure is retryable.
 */
export async function sendSmtp(
  config: unknown,
  o: SmtpSendOptions,
  mail: (c: EmailConfig) => Mail.Options,
): Promise<void> {
  const secrets = secretValues(config, o.env);
  const fail = (err: unknown, retryable: boolean, status: number | null = null): DeliveryError =>
    new DeliveryError(`${o.failure}: ${scrub(messageOf(err), secrets)}`, {
      channel: o.channel,
      status,
      retryable,
      cause: scrubbedCause(err, secrets),
    });
  let c: EmailConfig;
  try {
    c = resolveEnv(o.parse ? o.parse(config) : (config as EmailConfig), o.env);
  } catch (err) {
    throw fail(err, false);
  }
  const transport = smtpTransport(c, o.timeoutMs);
  try {
    await transport.sendMail(mail(c));
  } catch (err) {
    const code = (err as { responseCode?: unknown }).responseCode;
    const status = typeof code === 'number' ? code : null;
    throw fail(err, status === null || status < 500, status);
  } finally {
    transport.close();
  }
}

function h(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function idPart(id: string): string {
  return id.replace(/[^A-Za-z0-9._-]/g, '_');
}

function domainOf(from: string): string | null {
  const m = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from);
  return m?.[1] ?? null;
}
