import nodemailer from 'nodemailer';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startSmtpSink, type SmtpSink } from './smtp-sink.js';
import { WaitTimeoutError } from './wait.js';

describe('SMTP sink', () => {
  let sink: SmtpSink;
  afterEach(() => sink.close());

  const transport = () =>
    nodemailer.createTransport({ host: sink.host, port: sink.port, secure: false, ignoreTLS: true });

  it('receives and parses what a real SMTP client sends, with its envelope', async () => {
    sink = await startSmtpSink();
    await transport().sendMail({
      from: 'vigil@example.com',
      to: 'oncall@example.com',
      bcc: 'manager@example.com',
      subject: 'Weekly uptime',
      text: 'stripe 99.2%',
      html: '<p>stripe <b>99.2%</b></p>',
      attachments: [{ filename: 'uptime.csv', content: 'probe,uptime\nstripe,0.992\n' }],
    });
    const [mail] = await sink.waitFor(1, 2_000);
    expect(mail?.subject).toBe('Weekly uptime');
    expect(mail?.text?.trim()).toBe('stripe 99.2%');
    expect(mail?.html).toContain('<b>99.2%</b>');
    expect(mail?.attachments.map((a) => [a.filename, a.content.toString()])).toEqual([
      ['uptime.csv', 'probe,uptime\nstripe,0.992\n'],
    ]);
    expect(sink.envelopes).toEqual([
      { from: 'vigil@example.com', to: ['oncall@example.com', 'manager@example.com'] },
    ]);
  });

  it('waits for several messages in arrival order', async () => {
    sink = await startSmtpSink();
    const t = transport();
    const waiting = sink.waitFor(2, 2_000);
    await t.sendMail({ from: 'a@example.com', to: 'b@example.com', subject: 'one', text: '1' });
    await t.sendMail({ from: 'a@example.com', to: 'b@example.com', subject: 'two', text: '2' });
    expect((await waiting).map((m) => m.subject)).toEqual(['one', 'two']);
    expect(sink.messages).toHaveLength(2);
  });

  it('rejects with a typed error when too few messages arrive in time', async () => {
    sink = await startSmtpSink();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const waiting = sink.waitFor(1, 50).catch((e: unknown) => e);
      await vi.advanceTimersByTimeAsync(50);
      expect(await waiting).toEqual(new WaitTimeoutError('messages', 1, 0, 50));
    } finally {
      vi.useRealTimers();
    }
  });
});
