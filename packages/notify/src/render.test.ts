import { describe, expect, it } from 'vitest';
import { emailNotifier, type EmailConfig } from './email.js';
import { fileNotifier } from './file.js';
import { slackNotifier, type SlackConfig } from './slack.js';
import { alertEvent, at, providerEvent, serviceEvent } from './testing/events.js';
import type { AlertEvent } from './types.js';

const slackCfg: SlackConfig = { webhook: '${env:SLACK_WEBHOOK_URL}', mention: '<!here>' };
const emailCfg = emailNotifier.configSchema.parse({
  smtp: { host: 'smtp.example.com', pass: '${env:SMTP_PASS}', user: 'vigil' },
  from: 'Vigil <vigil@alerts.example.com>',
  to: ['oncall@example.com'],
}) as EmailConfig;

const scopes = { probe: alertEvent(), provider: providerEvent(), service: serviceEvent() };
const events = ['opened', 'resolved', 'reminder', 'flapping'] as const;
const cases = Object.entries(scopes).flatMap(([scope, e]) =>
  events.map((event) => [scope, event, at(e, event)] as [string, string, AlertEvent]),
);

describe('rendering', () => {
  it.each(cases)('renders a %s incident %s for Slack', (_scope, _event, e) => {
    expect(slackNotifier.render(e, slackCfg)).toMatchSnapshot();
  });

  it.each(cases)('renders a %s incident %s as email', (_scope, _event, e) => {
    expect(emailNotifier.render(e, emailCfg)).toMatchSnapshot();
  });

  it('puts the duration in the Slack resolve message', () => {
    const msg = slackNotifier.render(at(alertEvent(), 'resolved'), slackCfg);
    expect(msg.text).toBe('[RESOLVED] Stripe balance API (payments/stripe) — after 42m');
    expect(JSON.stringify(msg.blocks)).toContain('*Duration*\\n42m');
  });

  it.each([
    ['opened', 'page', true],
    ['reminder', 'page', true],
    ['resolved', 'page', false],
    ['opened', 'ticket', false],
  ] as const)('mentions on-call for a %s %s alert: %s', (event, severity, mentions) => {
    const msg = slackNotifier.render(at(alertEvent({ severity }), event), slackCfg);
    expect(msg.text.startsWith('<!here> ')).toBe(mentions);
  });

  it('cannot be made to ping the channel or link elsewhere by a probe name or error', () => {
    const e = alertEvent({
      title: '<!channel> <https://evil.example|click>',
      lastError: '```<!everyone>```',
    });
    const json = JSON.stringify(slackNotifier.render(e, { webhook: '${env:X}' }));
    expect(json).not.toMatch(/<!channel>|<!everyone>|<https:\/\/evil/);
    expect(json).toContain('&lt;!channel&gt;');
  });

  it('drops a runbook link that is not http(s)', () => {
    const e = alertEvent({ runbook: 'javascript:alert(1)' });
    expect(JSON.stringify(slackNotifier.render(e, slackCfg))).not.toContain('javascript:');
    expect(emailNotifier.render(e, emailCfg).html).not.toContain('javascript:');
  });

  it('keeps Slack within its block limits', () => {
    const e = alertEvent({ title: 'x'.repeat(400), lastError: 'y'.repeat(5000) });
    const { blocks } = slackNotifier.render(at(e, 'reminder'), slackCfg);
    for (const b of blocks) {
      if (b.type === 'header') expect(b.text.text.length).toBeLessThanOrEqual(150);
      if (b.type === 'section') {
        expect(b.fields?.length ?? 0).toBeLessThanOrEqual(10);
        expect(b.text?.text.length ?? 0).toBeLessThanOrEqual(3000);
      }
    }
  });

  it('writes email HTML that loads nothing from outside and escapes what it shows', () => {
    const { html } = emailNotifier.render(
      alertEvent({ title: '<img src="https://t.example/p.gif">' }),
      emailCfg,
    );
    expect(html).not.toMatch(/<img|<link|<script|<[^>]*\ssrc=|url\(/i);
    expect(html).toContain('&lt;img src=&quot;https://t.example/p.gif&quot;&gt;');
  });

  it('threads every later email under the opening message', () => {
    const opened = emailNotifier.render(alertEvent(), emailCfg);
    const resolved = emailNotifier.render(at(alertEvent(), 'resolved'), emailCfg);
    const r1 = emailNotifier.render(at(alertEvent(), 'reminder'), emailCfg);
    const r2 = emailNotifier.render({ ...at(alertEvent(), 'reminder'), id: 'ob_9' }, emailCfg);
    expect(opened.messageId).toBe('<incident-inc_42-opened@alerts.example.com>');
    expect(opened.inReplyTo).toBeNull();
    expect(resolved.messageId).toBe('<incident-inc_42-resolved@alerts.example.com>');
    expect(resolved.inReplyTo).toBe(opened.messageId);
    expect(resolved.references).toEqual([opened.messageId]);
    expect(r1.messageId).not.toBe(r2.messageId);
    expect(r1.inReplyTo).toBe(opened.messageId);
  });

  it('builds Message-IDs only from safe characters', () => {
    const msg = emailNotifier.render(alertEvent({ incidentId: 'a b>\r\nBcc: x' }), {
      ...emailCfg,
      messageIdDomain: 'example.org',
    });
    expect(msg.messageId).toBe('<incident-a_b___Bcc__x-opened@example.org>');
  });

  describe('links to the web surface (api.publicUrl)', () => {
    const linked = alertEvent({
      runbook: null,
      incidentUrl: 'https://vigil.example.com/dashboard/incidents/inc_42',
      statusUrl: 'https://vigil.example.com/',
    });

    it('puts the incident page and the status page on the Slack alert as buttons', () => {
      const { blocks } = slackNotifier.render(linked, slackCfg);
      const actions = blocks.find((b) => b.type === 'actions');
      expect(actions).toEqual({
        type: 'actions',
        elements: [
          {
            type: 'button',
            text: { type: 'plain_text', text: 'Open incident' },
            url: 'https://vigil.example.com/dashboard/incidents/inc_42',
          },
          {
            type: 'button',
            text: { type: 'plain_text', text: 'Status page' },
            url: 'https://vigil.example.com/',
          },
        ],
      });
    });

    it('puts both links in the email HTML and its text part', () => {
      const msg = emailNotifier.render(at(linked, 'resolved'), emailCfg);
      expect(msg.html).toContain(
        '<a href="https://vigil.example.com/dashboard/incidents/inc_42" style="color:#0969da">Open incident</a> · <a href="https://vigil.example.com/" style="color:#0969da">Status page</a>',
      );
      expect(msg.text).toContain(
        '\nIncident: https://vigil.example.com/dashboard/incidents/inc_42\nStatus: https://vigil.example.com/\n',
      );
    });

    it('shows no link without publicUrl, nor for a payload stored before the field existed', () => {
      const bare = alertEvent({ runbook: null, incidentUrl: null, statusUrl: null, lastError: null });
      const old = { ...bare } as Partial<AlertEvent>;
      delete old.incidentUrl;
      delete old.statusUrl;
      for (const e of [bare, old as AlertEvent]) {
        const slack = slackNotifier.render(e, slackCfg);
        expect(slack.blocks.some((b) => b.type === 'actions')).toBe(false);
        const mail = emailNotifier.render(e, emailCfg);
        expect(mail.html).not.toMatch(/<a /);
        expect(mail.text).not.toMatch(/https?:/);
      }
    });
  });

  it('names an outbox file by time and id so a repeat overwrites it', () => {
    const msg = fileNotifier.render(alertEvent(), { dir: '.vigil/outbox' });
    expect(msg.filename).toBe('20250304T140500Z-inc_42-opened-ob_1.json');
    expect(JSON.parse(msg.content)).toMatchObject({ subject: expect.stringContaining('[DOWN]') });
  });
});
