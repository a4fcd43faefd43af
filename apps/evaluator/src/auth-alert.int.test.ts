import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ErrorClass, ProbeResult } from '@vigil/core';
import { slotOffsetMs } from '@vigil/core';
import { insertResults } from '@vigil/db';
import { manualClock, startSlackStandIn, type ManualClock, type SlackStandIn } from '@vigil/testing';
import { startEvaluatorRole, type EvaluatorRole } from './role.js';
import { config, result, spec } from './testing/builders.js';
import { testDb } from './testing/db.js';

const MIN = 60_000;
const p = spec();
const T0 = Date.parse('2025-03-04T10:00:00Z') + slotOffsetMs(p.id, MIN);

/** What Slack receives of an alert: its fallback text and every block's text. */
const textOf = (post: { body: unknown }) => JSON.stringify(post.body);

/** A result of class `auth` as the probe runner writes it for a 401, or a provider-side 503. */
function failed(region: string, slotAt: number, errorClass: ErrorClass): ProbeResult {
  const r = result(p.id, region, slotAt, 'down');
  return errorClass === 'auth'
    ? {
        ...r,
        httpStatus: 401,
        errorClass: 'auth',
        message: 'credentials rejected: expected status 200, got 401: {"error":"invalid_api_key"}',
      }
    : r;
}

describe('an alert of class auth, as Slack receives it (Slack stand-in, real Postgres)', () => {
  let db: Awaited<ReturnType<typeof testDb>>;
  let slack: SlackStandIn;
  let clock: ManualClock;
  let role: EvaluatorRole;

  beforeEach(async () => {
    db = await testDb('postgres');
    slack = await startSlackStandIn();
    clock = manualClock(T0 - 1);
    const cfg = config([p], {
      channels: { oncall: { type: 'slack', webhook: '${env:SLACK_WEBHOOK}' } },
      routes: [{ match: {}, channels: ['oncall'] }],
    });
    role = await startEvaluatorRole({
      db: db.h.db,
      config: () => cfg,
      clock,
      log: pino({ level: 'silent' }),
      env: { SLACK_WEBHOOK: slack.url },
      holder: 'e',
      graceMs: 10_000,
      tickEveryMs: 0,
      relayPollMs: 0,
      maintainEveryMs: 0,
      heartbeatCheckMs: 0,
      statusPageCheckMs: 0,
      reports: false,
    });
  });
  afterEach(async () => {
    await role.close();
    await slack.close();
    await db.cleanup();
  });

  /** Minutes [from, to): results of every region stored, one tick, one relay pass. */
  async function minutes(from: number, to: number, outcome: 'up' | ErrorClass) {
    for (let i = from; i < to; i++) {
      const at = T0 + i * MIN;
      await insertResults(
        db.h.db,
        ['eu', 'us'].map((r) => (outcome === 'up' ? result(p.id, r, at, 'up') : failed(r, at, outcome))),
      );
      clock.set(at + 2_000);
      await role.tick();
      await role.relayTick();
    }
  }

  it('says "check the credentials", not that the provider is down', async () => {
    await minutes(0, 2, 'up');
    await minutes(2, 5, 'auth');
    const posts = await slack.waitFor(1, 5_000);
    const opened = textOf(posts[0]!);
    // the headline (Slack's fallback text) and the first section both say it
    expect(opened).toMatch(
      /^\{"text":"\[DOWN\] payments \(payments\/stripe\) — credentials rejected, check the credentials, since 10:02 UTC"/,
    );
    expect(opened).toContain(
      '*payments* (payments/stripe) — credentials rejected, check the credentials, since 10:02 UTC',
    );
    expect(opened).toContain('*Error class*\\nauth');
    for (const post of slack.posts) expect(textOf(post)).not.toMatch(/provider (is )?down/i);
  });

  it('a provider-side failure (HTTP 503) does not tell anyone to check the credentials', async () => {
    await minutes(0, 2, 'up');
    await minutes(2, 5, 'http_status');
    const posts = await slack.waitFor(1, 5_000);
    const opened = textOf(posts[0]!);
    expect(opened).toMatch(/^\{"text":"\[DOWN\] payments \(payments\/stripe\) — since 10:02 UTC"/);
    expect(opened).not.toContain('check the credentials');
  });
});
