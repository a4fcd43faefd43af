import { describe, expect, it } from 'vitest';
import { channelConfigSchemas, defaultChannels, notifierFor, notifiers } from './registry.js';

const errors = (type: string, cfg: unknown): string[] => {
  const r = channelConfigSchemas[type]!.safeParse(cfg);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('channel registry', () => {
  it('offers a config schema for every channel type', () => {
    expect(Object.keys(channelConfigSchemas).sort()).toEqual(Object.keys(notifiers).sort());
    expect(notifierFor('slack')?.type).toBe('slack');
    expect(notifierFor('toString')).toBeNull();
  });

  it.each([
    ['slack', { type: 'slack', webhook: '${env:SLACK_WEBHOOK_URL}' }],
    ['slack', { webhook: 'https://hooks.slack.com/services/${env:SLACK_PATH}', mention: '<!here>' }],
    [
      'email',
      {
        type: 'email',
        smtp: { host: 'smtp.example.com', port: 465, secure: true, user: 'vigil', pass: '${env:SMTP_PASS}' },
        from: 'Vigil <vigil@example.com>',
        to: ['oncall@example.com'],
      },
    ],
    ['file', {}],
    ['log', { type: 'log' }],
  ])('accepts a valid %s channel', (type, cfg) => {
    expect(errors(type, cfg)).toEqual([]);
  });

  it.each([
    [
      'slack',
      { webhook: 'https://hooks.slack.com/services/T0/B0/abc' },
      'webhook: webhook is a secret: write it as ${env:NAME}, not as a literal value',
    ],
    ['slack', { webhook: '${env:X}', webhok: 'typo' }, ': Unrecognized key: "webhok"'],
    ['slack', { webhook: '${env:X}', mention: '<!here>\r\nX' }, 'mention: must be a single line'],
    [
      'email',
      { smtp: { host: 'h', pass: 'hunter2' }, from: 'a@b.c', to: ['x@y.z'] },
      'smtp.pass: smtp.pass is a secret: write it as ${env:NAME}, not as a literal value',
    ],
    [
      'email',
      { smtp: { host: 'h' }, from: 'a@b.c', to: [] },
      'to: Too small: expected array to have >=1 items',
    ],
    [
      'email',
      { smtp: { host: 'h' }, from: 'a@b.c', to: ['x@y.z\r\nBcc: e@evil'] },
      'to.0: must be a single line',
    ],
    [
      'email',
      { smtp: { host: 'h', port: 70000 }, from: 'a@b.c', to: ['x@y.z'] },
      'smtp.port: Too big: expected number to be <=65535',
    ],
  ])('rejects a %s channel %j', (type, cfg, message) => {
    expect(errors(type, cfg)).toContain(message);
  });

  it('fills email and file defaults', () => {
    expect(
      channelConfigSchemas.email!.parse({ smtp: { host: 'h' }, from: 'a@b.c', to: ['x@y.z'] }),
    ).toMatchObject({
      smtp: { port: 587, secure: false, requireTLS: false },
    });
    expect(channelConfigSchemas.file!.parse({})).toEqual({ dir: '.vigil/outbox' });
  });

  it('defaults to the log and the outbox folder when nothing is configured', () => {
    expect(defaultChannels()).toEqual({
      log: { type: 'log', config: {} },
      outbox: { type: 'file', config: { dir: '.vigil/outbox' } },
    });
  });
});
