import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { manualClock, startSmtpSink, type SmtpSink } from '@vigil/testing';
import { SMTPServer } from 'smtp-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emailNotifier } from './email.js';
import { DeliveryError } from './errors.js';
import { MemoryOutboxStore } from './memory-store.js';
import { startRelay, type RelayEvent } from './relay.js';
import { alertEvent, at } from './testing/events.js';
import type { AlertEvent } from './types.js';

let sink: SmtpSink;
beforeEach(async () => {
  sink = await startSmtpSink();
});
afterEach(() => sink.close());

const config = (port: number, over: Record<string, unknown> = {}) => ({
  type: 'email',
  smtp: { host: '127.0.0.1', port },
  from: 'Vigil <vigil@alerts.example.com>',
  to: ['oncall@example.com', 'payments-team@example.com'],
  ...over,
});

async function deliver(events: AlertEvent[], over: Record<string, unknown> = {}): Promise<RelayEvent[]> {
  const store = new MemoryOutboxStore();
  const clock = manualClock('2025-03-04T16:00:00Z');
  for (const e of events)
    store.enqueue({ id: e.id, channel: 'oncall-email', payload: e, createdAt: clock.now() });
  const seen: RelayEvent[] = [];
  const relay = startRelay({
    store,
    channels: { 'oncall-email': { type: 'email', config: config(sink.port, over) } },
    env: {},
    clock,
    pollMs: 0,
    onEvent: (e) => seen.push(e),
  });
  await relay.tick();
  return seen;
}

describe('email channel', () => {
  it('sends a threaded opening and resolve over real SMTP with html and text parts', async () => {
    const opened = alertEvent();
    await deliver([opened, at(opened, 'resolved')]);
    const [first, second] = await sink.waitFor(2, 5_000);

    expect(first!.subject).toBe('[DOWN] Stripe balance API (payments/stripe) — since 14:02 UTC');
    expect(first!.from?.text).toBe('"Vigil" <vigil@alerts.example.com>');
    expect(sink.envelopes[0]!.to).toEqual(['oncall@example.com', 'payments-team@example.com']);
    expect(first!.text).toContain('Failing regions: eu-west, us-east');
    expect(first!.html).toContain('Stripe balance API (stripe-balance)');
    expect(first!.messageId).toBe('<incident-inc_42-opened@alerts.example.com>');
    expect(first!.inReplyTo).toBeUndefined();
    expect(first!.headers.get('auto-submitted')).toBe('auto-generated');

    expect(second!.subject).toBe('[RESOLVED] Stripe balance API (payments/stripe) — after 42m');
    expect(second!.messageId).toBe('<incident-inc_42-resolved@alerts.example.com>');
    expect(second!.inReplyTo).toBe('<incident-inc_42-opened@alerts.example.com>');
    expect(second!.references).toBe('<incident-inc_42-opened@alerts.example.com>');
  });

  it('adds no header and no recipient for a name carrying CRLF and Bcc', async () => {
    await deliver([
      alertEvent({
        title: 'Stripe\r\nBcc: x@evil.example',
        probeName: 'balance\r\nBcc: y@evil.example',
        incidentId: 'inc\r\nBcc: z@evil.example',
      }),
    ]);
    const [mail] = await sink.waitFor(1, 5_000);
    expect(mail!.headers.has('bcc')).toBe(false);
    expect(mail!.bcc).toBeUndefined();
    expect(sink.envelopes[0]!.to).toEqual(['oncall@example.com', 'payments-team@example.com']);
    expect(mail!.subject).toBe('[DOWN] Stripe Bcc: x@evil.example (payments/stripe) — since 14:02 UTC');
  });

  it('never lets the SMTP password reach an error, an event or the stored row', async () => {
    const password = 'hunter2-very-secret';
    const server = new SMTPServer({
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      logger: false,
      onAuth: (auth, _session, cb) => cb(new Error(`rejected ${auth.username}/${auth.password}`)),
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.server.address() as AddressInfo;
    const cfg = emailNotifier.configSchema.parse(
      config(port, { smtp: { host: '127.0.0.1', port, user: 'vigil', pass: '${env:SMTP_PASS}' } }),
    );
    const env = { SMTP_PASS: password };
    const msg = emailNotifier.render(alertEvent(), cfg);
    const ctx = {
      channel: 'oncall-email',
      env,
      timeoutMs: 5_000,
      signal: new AbortController().signal,
      log: () => {},
    };

    const err = await emailNotifier.send(msg, cfg, ctx).catch((e: unknown) => e);
    await new Promise<void>((resolve) => server.close(resolve));

    expect(err).toBeInstanceOf(DeliveryError);
    expect(err).toMatchObject({ status: 535, retryable: false, channel: 'oncall-email' });
    expect((err as Error).message).toContain('rejected vigil/[REDACTED]');
    expect(inspect(err, { depth: Infinity, showHidden: true })).not.toContain(password);
  });

  it('retries when the SMTP server cannot be reached', async () => {
    await sink.close();
    const events = await deliver([alertEvent()]);
    expect(events[0]).toMatchObject({ type: 'retry', error: expect.stringContaining('ECONNREFUSED') });
  });
});
