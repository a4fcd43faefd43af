import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { VigilConfig } from '@vigil/config';
import { slotOffsetMs, type ProbeSpec } from '@vigil/core';
import { insertResults, listOutbox, openDb, type DbHandle } from '@vigil/db';
import { runProbe } from '@vigil/probes';
import {
  manualClock,
  startSimulator,
  startSlackStandIn,
  startSmtpSink,
  type ManualClock,
  type Simulator,
  type SlackStandIn,
  type SmtpSink,
} from '@vigil/testing';
import { startEvaluatorRole, type EvaluatorRole } from './role.js';
import { config, spec } from './testing/builders.js';
import { testDb } from './testing/db.js';

const MIN = 60_000;
const SLACK_PATH_SECRET = 'B00000000/XXXXXXXXXXXXXXXXXXXXXXXX';
const API_KEY = 'sk_test_e2e_super_secret_4242';

/**
 * The whole path with real servers: simulator outage → runProbe in two regions → results in Postgres
 * → two evaluators (one holds the lease) → outbox → both relays → Slack stand-in and a real SMTP server.
 */
describe('an outage, end to end, with two evaluators', () => {
  let db: Awaited<ReturnType<typeof testDb>>;
  let second: DbHandle;
  let sim: Simulator;
  let slack: SlackStandIn;
  let smtp: SmtpSink;
  let clock: ManualClock;
  let roles: EvaluatorRole[];
  let probe: ProbeSpec;
  let t0: number;
  const logs: string[] = [];

  beforeAll(async () => {
    db = await testDb('postgres');
    second = await openDb({ url: db.url!, poolSize: 2 });
    probe = spec({
      id: 'stripe-balance',
      timeoutMs: 2_000,
      spec: { url: '', headers: { authorization: 'Bearer ${env:STRIPE_KEY}' } },
      expect: { status: 200 },
    });
    t0 = Date.parse('2025-03-03T10:00:00Z') + slotOffsetMs(probe.id, MIN);
    clock = manualClock(t0 - 1);
    sim = await startSimulator({
      clock,
      routes: {
        '/v1/balance': {
          behavior: { mode: 'ok', body: { object: 'balance' } },
          outages: [{ fromMs: 3 * MIN, toMs: 7 * MIN, behavior: { mode: 'status', status: 503 } }],
        },
      },
    });
    probe.spec.url = `${sim.httpUrl}/v1/balance`;
    slack = await startSlackStandIn();
    smtp = await startSmtpSink();
    const cfg: VigilConfig = config([probe], {
      channels: {
        oncall: { type: 'slack', webhook: '${env:SLACK_WEBHOOK}' },
        mail: {
          type: 'email',
          smtp: { host: smtp.host, port: smtp.port },
          from: 'vigil@alerts.example.com',
          to: ['oncall@example.com'],
        },
      },
      routes: [{ match: { service: 'payments' }, channels: ['oncall', 'mail'] }],
    });
    const log = pino(
      { level: 'debug' },
      new Writable({
        write(chunk: Buffer, _enc, cb) {
          logs.push(chunk.toString('utf8'));
          cb();
        },
      }),
    );
    const env = { SLACK_WEBHOOK: slack.url, STRIPE_KEY: API_KEY };
    roles = await Promise.all(
      [db.h, second].map((h, i) =>
        startEvaluatorRole({
          db: h.db,
          config: () => cfg,
          clock,
          log,
          env,
          holder: `evaluator-${i}`,
          graceMs: 10_000,
          tickEveryMs: 0,
          relayPollMs: 0,
          maintainEveryMs: 0,
        }),
      ),
    );
    // Slack answers 500 to the first two posts: the opening arrives once, after it recovers
    slack.failNext(2, 500);
    for (let i = 0; i < 14; i++) {
      const at = t0 + i * MIN;
      clock.set(at);
      const results = await Promise.all(
        probe.regions.map((region) =>
          runProbe(probe, { env, clock, region, slotAt: at, workerId: `worker-${region}` }),
        ),
      );
      await insertResults(db.h.db, results);
      clock.set(at + 3_000);
      for (const r of roles) await r.tick();
      for (const r of roles) await r.relayTick();
    }
    clock.advance(30 * MIN);
    for (let k = 0; k < 3; k++) for (const r of roles) await r.relayTick();
  }, 60_000);

  afterAll(async () => {
    for (const r of roles ?? []) await r.close();
    await second?.close();
    await Promise.all([sim?.close(), slack?.close(), smtp?.close()]);
    await db?.cleanup();
  });

  it('posts to Slack exactly once at open and once at resolve, despite the 500s', async () => {
    const posts = await slack.waitFor(2, 5_000);
    expect(slack.posts).toHaveLength(2);
    expect(posts.map((p) => (p.body as { text: string }).text)).toEqual([
      expect.stringMatching(/^\[DOWN\] payments/i),
      expect.stringMatching(/^\[RESOLVED\] payments/i),
    ]);
    expect(slack.attempts).toBe(4);
  });

  it('sends exactly one email at open and one at resolve, through real SMTP', async () => {
    const mails = await smtp.waitFor(2, 5_000);
    expect(smtp.messages).toHaveLength(2);
    expect(mails.map((m) => m.subject)).toEqual([
      expect.stringMatching(/^\[DOWN\] payments/i),
      expect.stringMatching(/^\[RESOLVED\] payments/i),
    ]);
    expect(mails[1]!.inReplyTo).toBe(mails[0]!.messageId);
  });

  it('leaves every outbox row sent, one per event and channel', async () => {
    const rows = await listOutbox(db.h.db);
    expect(rows.map((r) => `${r.eventKey.split('@')[0]}:${r.channel}:${r.status}`).sort()).toEqual([
      'opened:mail:sent',
      'opened:oncall:sent',
      'resolved:mail:sent',
      'resolved:oncall:sent',
    ]);
  });

  it('never writes a secret into an outbox row, a log line or a message', async () => {
    const rows = JSON.stringify(await listOutbox(db.h.db));
    const messages = JSON.stringify([slack.posts, smtp.messages.map((m) => [m.subject, m.text, m.html])]);
    const text = [rows, logs.join('\n'), messages].join('\n');
    expect(logs.length).toBeGreaterThan(0);
    for (const secret of [API_KEY, slack.url, SLACK_PATH_SECRET]) expect(text).not.toContain(secret);
  });
});
