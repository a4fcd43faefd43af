import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { DAY_MS } from '@vigil/core';
import { manualClock, startSlackStandIn, type ManualClock, type SlackStandIn } from '@vigil/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeliveryError } from './errors.js';
import { MemoryOutboxStore } from './memory-store.js';
import type { OutboxStore } from './outbox.js';
import type { ChannelSpec } from './registry.js';
import { ChannelConfigError, startRelay, type RelayEvent, type RelayOptions } from './relay.js';
import { slackNotifier } from './slack.js';
import { alertEvent } from './testing/events.js';
import type { AlertEvent } from './types.js';

const SLACK: Record<string, ChannelSpec> = {
  'oncall-slack': { type: 'slack', config: { type: 'slack', webhook: '${env:SLACK_WEBHOOK_URL}' } },
};

let slack: SlackStandIn;
let clock: ManualClock;
let store: MemoryOutboxStore;
let events: RelayEvent[];

beforeEach(async () => {
  slack = await startSlackStandIn();
  clock = manualClock('2025-03-04T14:05:00Z');
  store = new MemoryOutboxStore({ leaseMs: 60_000 });
  events = [];
});
afterEach(() => slack.close());

function relay(o: Partial<RelayOptions> = {}) {
  return startRelay({
    store,
    channels: SLACK,
    env: { SLACK_WEBHOOK_URL: slack.url },
    clock,
    pollMs: 0,
    random: () => 0.5,
    onEvent: (e) => events.push(e),
    ...o,
  });
}

function enqueue(over: Partial<AlertEvent> = {}, channel = 'oncall-slack') {
  const payload = alertEvent(over);
  store.enqueue({ id: payload.id, channel, payload, createdAt: clock.now() });
  return payload.id;
}

describe('outbox relay', () => {
  it('posts an alert to Slack with its blocks and marks it sent', async () => {
    const id = enqueue();
    expect(await relay().tick()).toBe(1);
    const body = slack.posts[0]?.body as { text: string; blocks: { type: string }[] };
    expect(body.text).toBe('[DOWN] Stripe balance API (payments/stripe) — since 14:02 UTC');
    expect(body).not.toHaveProperty('timeout');
    expect(body.blocks.map((b) => b.type)).toEqual([
      'header',
      'section',
      'section',
      'section',
      'actions',
      'context',
    ]);
    expect(store.get(id)).toMatchObject({ status: 'sent', sentAt: clock.now(), attempts: 0 });
    expect(events).toEqual([{ type: 'sent', id, channel: 'oncall-slack', incidentId: 'inc_42', attempt: 1 }]);
  });

  it('retries a Slack 500 with growing backoff and delivers exactly once', async () => {
    slack.failNext(2, 500);
    const id = enqueue();
    const r = relay();
    const t0 = clock.now();

    await r.tick();
    expect(store.get(id)).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: t0 + 3_750 });
    clock.advance(3_749);
    expect(await r.tick()).toBe(0);
    expect(slack.attempts).toBe(1);

    clock.advance(1);
    await r.tick();
    expect(store.get(id)).toMatchObject({ attempts: 2, nextAttemptAt: t0 + 3_750 + 7_500 });
    clock.advance(7_500);
    await r.tick();

    expect(slack.attempts).toBe(3);
    expect(slack.posts).toHaveLength(1);
    expect(store.get(id)?.status).toBe('sent');
    expect(events.map((e) => e.type)).toEqual(['retry', 'retry', 'sent']);
    expect(events[0]).toMatchObject({
      error: 'slack delivery to "oncall-slack" failed: HTTP 500: internal_error',
    });
  });

  it.each([400, 403, 404, 410])('gives up at once on a Slack %i, which no retry can fix', async (status) => {
    slack.failNext(1, status);
    const id = enqueue();
    await relay().tick();
    expect(store.get(id)).toMatchObject({ status: 'dead', attempts: 1 });
    expect(events[0]).toMatchObject({ type: 'dead', error: expect.stringContaining(`HTTP ${status}`) });
  });

  it.each([429, 503])('retries a Slack %i', async (status) => {
    slack.failNext(1, status);
    const id = enqueue();
    await relay().tick();
    expect(store.get(id)).toMatchObject({
      status: 'pending',
      attempts: 1,
      nextAttemptAt: clock.now() + 3_750,
    });
  });

  it('waits at least as long as a 429 Retry-After asks', async () => {
    const limited = await startServer((_req, res) => {
      res.writeHead(429, { 'retry-after': '120' });
      res.end('rate_limited');
    });
    const id = enqueue();
    await relay({ env: { SLACK_WEBHOOK_URL: `${limited.url}/services/T/B/x` } }).tick();
    await limited.close();
    expect(store.get(id)).toMatchObject({ status: 'pending', nextAttemptAt: clock.now() + 120_000 });
  });

  it('keeps retrying for the whole maximum age, then gives up', async () => {
    slack.failNext(100, 500);
    const id = enqueue();
    const r = relay({ backoff: { baseMs: 1_000, maxMs: 3_600_000 } });
    for (let i = 0; i < 100 && store.get(id)!.status === 'pending'; i++) {
      await r.tick();
      clock.set(store.get(id)!.nextAttemptAt);
    }
    const row = store.get(id)!;
    expect(row.status).toBe('dead');
    expect(clock.now() - row.createdAt).toBeGreaterThanOrEqual(DAY_MS);
    expect(events.filter((e) => e.type === 'retry').length).toBeGreaterThan(10);
  });

  it('gives up waiting on a channel that does not answer', async () => {
    const hang = await startServer(() => undefined);
    const id = enqueue();
    await relay({ timeoutMs: 150, env: { SLACK_WEBHOOK_URL: `${hang.url}/services/T/B/x` } }).tick();
    expect(store.get(id)).toMatchObject({ status: 'pending', attempts: 1 });
    expect(events[0]).toMatchObject({ type: 'retry', error: expect.stringMatching(/time/i) });
    await hang.close();
  });

  it('never lets the webhook URL reach an error, an event or the stored row', async () => {
    const secretPath = '/services/T0SECRET/B0SECRET/s3cr3tW3bh00kT0k3n';
    const echo = await startServer((req, res) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`no_service for http://${req.headers.host}${req.url} (${req.url})`);
    });
    const url = `${echo.url}${secretPath}`;
    const env = { SLACK_WEBHOOK_URL: url };
    const id = enqueue();
    await relay({ env }).tick();

    const err = await slackNotifier
      .send({ text: 'x', blocks: [] }, { webhook: '${env:SLACK_WEBHOOK_URL}' }, sendCtx(env))
      .catch((e: unknown) => e);
    await echo.close();
    const refused = await slackNotifier
      .send({ text: 'x', blocks: [] }, { webhook: '${env:SLACK_WEBHOOK_URL}' }, sendCtx(env))
      .catch((e: unknown) => e);

    for (const e of [err, refused]) {
      expect(e).toBeInstanceOf(DeliveryError);
      expect((e as DeliveryError).retryable).toBe(true);
    }
    expect((err as DeliveryError).status).toBe(500);
    expect((err as DeliveryError).body).toContain('[REDACTED]');
    const seen = [inspect([err, refused], { depth: Infinity, showHidden: true }), JSON.stringify(events)];
    seen.push(store.get(id)!.lastError ?? '');
    for (const text of seen) {
      expect(text).not.toContain('s3cr3tW3bh00kT0k3n');
      expect(text).not.toContain('T0SECRET');
    }
  });

  it('repeats a message whose send was not marked, once its claim expires, and never loses it', async () => {
    let crashes = 1;
    const crashing: OutboxStore = {
      claimDue: (now, limit) => store.claimDue(now, limit),
      markSent: (id, now) =>
        crashes-- > 0 ? Promise.reject(new Error('connection lost')) : store.markSent(id, now),
      markRetry: (id, at, error) => store.markRetry(id, at, error),
      markDead: (id, error) => store.markDead(id, error),
    };
    const id = enqueue();
    const r = relay({ store: crashing });
    await r.tick();
    expect(events[0]).toMatchObject({ type: 'store_error', op: 'markSent', id, error: 'connection lost' });
    expect(await r.tick()).toBe(0);

    clock.advance(60_000);
    await r.tick();
    expect(slack.posts).toHaveLength(2);
    expect(store.get(id)?.status).toBe('sent');
  });

  it('lets only one of two relays on the same store send a row', async () => {
    enqueue();
    await Promise.all([relay().tick(), relay().tick()]);
    expect(slack.attempts).toBe(1);
  });

  it('polls on its own until stopped', async () => {
    const r = relay({ pollMs: 10 });
    enqueue();
    await slack.waitFor(1, 5_000);
    await r.stop();
    expect(await r.tick()).toBe(0);
  });

  it('retries a row whose channel is not configured', async () => {
    const id = enqueue({}, 'gone');
    await relay().tick();
    expect(store.get(id)).toMatchObject({ status: 'pending', lastError: 'unknown channel "gone"' });
  });

  it('hands log-channel lines to its listener and writes file-channel alerts once per row', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-outbox-'));
    const channels = { log: { type: 'log', config: {} }, outbox: { type: 'file', config: { dir } } };
    const a = enqueue({ id: 'ob_a' }, 'log');
    const b = enqueue({ id: 'ob_b' }, 'outbox');
    const r = relay({ channels });
    await r.tick();
    store.enqueue({
      id: 'ob_b2',
      channel: 'outbox',
      payload: alertEvent({ id: 'ob_b' }),
      createdAt: clock.now(),
    });
    await r.tick();

    expect(events).toContainEqual({
      type: 'notification',
      entry: {
        channel: 'log',
        id: a,
        incidentId: 'inc_42',
        event: 'opened',
        severity: 'page',
        text: '[DOWN] Stripe balance API (payments/stripe) — since 14:02 UTC',
      },
    });
    const files = await readdir(dir);
    expect(files).toEqual([`20250304T140500Z-inc_42-opened-${b}.json`]);
    const saved = JSON.parse(await readFile(join(dir, files[0]!), 'utf8')) as { subject: string };
    expect(saved.subject).toContain('[DOWN]');
    await rm(dir, { recursive: true });
  });

  it('refuses to start with a channel that is invalid, without echoing its values', () => {
    const literal = 'https://hooks.slack.com/services/T0/B0/literalSecret';
    expect(() => relay({ channels: { s: { type: 'slack', config: { webhook: literal } } } })).toThrow(
      ChannelConfigError,
    );
    expect(() => relay({ channels: { s: { type: 'pager', config: {} } } })).toThrow(
      'channel "s": unknown channel type "pager"',
    );
    try {
      relay({ channels: { s: { type: 'slack', config: { webhook: literal } } } });
    } catch (err) {
      expect(String(err)).not.toContain('literalSecret');
    }
  });
});

function sendCtx(env: Record<string, string>) {
  return {
    channel: 'oncall-slack',
    env,
    timeoutMs: 2_000,
    signal: new AbortController().signal,
    log: () => {},
  };
}

async function startServer(
  handler: Parameters<typeof createServer>[1],
): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer(handler);
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}
