import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { manualClock, startSmtpSink, type SmtpSink } from '@vigil/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryOutboxStore } from './memory-store.js';
import type { ChannelSpec } from './registry.js';
import { startRelay, type RelayEvent } from './relay.js';
import { alertEvent } from './testing/events.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const b64url = (s: string) => Buffer.from(s).toString('base64url');
const json = (s: string) => JSON.stringify(s).slice(1, -1);

/** Whether any 8-character piece of any form of `secret` (and of the SMTP/Basic wrappers) is in `text`. */
function leaks(text: string, secret: string, user = 'vigil'): string[] {
  const forms = [
    secret,
    json(secret),
    encodeURIComponent(secret),
    b64(secret),
    b64url(secret),
    b64(`\0${user}\0${secret}`),
    b64(`${user}:${secret}`),
  ];
  const found = new Set<string>();
  for (const f of forms)
    for (let i = 0; i + 8 <= f.length; i++)
      if (text.includes(f.slice(i, i + 8))) found.add(f.slice(i, i + 8));
  return [...found];
}

/** Delivers one alert through `channel` with the relay; what it stored and emitted, as text. */
async function deliverOnce(channel: ChannelSpec, env: Record<string, string>) {
  const store = new MemoryOutboxStore();
  const clock = manualClock('2025-03-04T16:00:00Z');
  const e = alertEvent();
  store.enqueue({ id: e.id, channel: 'ch', payload: e, createdAt: clock.now() });
  const events: RelayEvent[] = [];
  const relay = startRelay({
    store,
    channels: { ch: channel },
    env,
    clock,
    pollMs: 0,
    onEvent: (x) => events.push(x),
  });
  await relay.tick();
  await relay.stop();
  const row = store.get(e.id)!;
  return { lastError: row.lastError ?? '', events: inspect(events, { depth: Infinity }) };
}

let sink: SmtpSink | null = null;
let http: Server | null = null;
afterEach(async () => {
  await sink?.close();
  sink = null;
  if (http) await new Promise<void>((resolve) => http!.close(() => resolve()));
  http = null;
});

describe('an SMTP server that rejects AUTH and echoes the credentials', () => {
  const PASSWORD = 'hunter2"-\\/very+secret=pass';
  it.each([
    [
      'the AUTH PLAIN response in base64',
      (a: Creds) => `5.7.8 bad credentials ${b64(`\0${a.username}\0${a.password}`)}`,
    ],
    ['the password in base64', (a: Creds) => `5.7.8 bad password ${b64(a.password)}`],
    [
      'the password JSON-escaped',
      (a: Creds) => `5.7.8 {"user":"${a.username}","pass":${JSON.stringify(a.password)}}`,
    ],
    ['the password as it was sent', (a: Creds) => `5.7.8 rejected ${a.username}/${a.password}`],
  ])('keeps %s out of the outbox row and the relay events', async (_name, reply) => {
    sink = await startSmtpSink({ rejectAuth: reply });
    const got = await deliverOnce(
      {
        type: 'email',
        config: {
          type: 'email',
          smtp: { host: sink.host, port: sink.port, user: 'vigil', pass: '${env:SMTP_PASS}' },
          from: 'vigil@alerts.example.com',
          to: ['oncall@example.com'],
        },
      },
      { SMTP_PASS: PASSWORD },
    );
    expect(got.lastError).toContain('535');
    expect(got.lastError).toContain('[REDACTED]');
    expect(leaks(got.lastError, PASSWORD)).toEqual([]);
    expect(leaks(got.events, PASSWORD)).toEqual([]);
  });
});
type Creds = { username: string; password: string };

describe('a Slack endpoint that echoes the webhook in its error', () => {
  const TOKEN = 'T0SECRET/B0SECRET/s3cr3tW3bh00kT0k3nx';
  it.each([
    [
      'JSON-escaped',
      (path: string) => JSON.stringify({ error: 'no_service', hook: path }).replaceAll('/', '\\/'),
    ],
    ['base64-encoded', (path: string) => `no_service ${b64(path)}`],
    ['cut at the 120-character edge', (path: string) => `no_service ${'x'.repeat(100)}${path}`],
    [
      'base64url-encoded and cut at the edge',
      (path: string) => `no_service ${'x'.repeat(90)} ${b64url(path)}`,
    ],
  ])('keeps it %s out of the outbox row and the relay events', async (_name, body) => {
    http = createServer((req, res) => {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(body(decodeURIComponent(req.url ?? '')));
    });
    await new Promise<void>((resolve) => http!.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/services/${TOKEN}`;
    const got = await deliverOnce(
      { type: 'slack', config: { type: 'slack', webhook: '${env:SLACK_WEBHOOK_URL}' } },
      { SLACK_WEBHOOK_URL: url },
    );
    expect(got.lastError).toContain('HTTP 500');
    expect(leaks(got.lastError, `/services/${TOKEN}`)).toEqual([]);
    expect(leaks(got.events, `/services/${TOKEN}`)).toEqual([]);
    expect(got.lastError).not.toMatch(/s3cr3t|T0SECRET|B0SECRET/);
  });
});
