import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { VigilConfig } from '@vigil/config';
import { hourStartOf, slotOffsetMs } from '@vigil/core';
import { insertResults, listOutbox, queryRollups } from '@vigil/db';
import { manualClock, startSlackStandIn, type ManualClock, type SlackStandIn } from '@vigil/testing';
import { recomputeRollups } from '../recompute.js';
import { startEvaluatorRole, type EvaluatorRole } from '../role.js';
import { config, result, spec } from '../testing/builders.js';
import { testDb } from '../testing/db.js';

const MIN = 60_000;
const p = spec();
const T0 = Date.parse('2025-03-04T10:00:00Z') + slotOffsetMs(p.id, MIN);

const summary = (incidents: unknown[]) =>
  JSON.stringify({
    page: { id: 'sp', name: 'Stripe', url: 'https://status.stripe.com' },
    components: [{ id: 'c1', name: 'API', status: incidents.length > 0 ? 'partial_outage' : 'operational' }],
    incidents,
    scheduled_maintenances: [],
    status: { indicator: incidents.length > 0 ? 'major' : 'none', description: 'x' },
  });
const incident = {
  id: 'sp_inc_1',
  name: 'Elevated API error rates',
  status: 'identified',
  impact: 'major',
  created_at: '2025-03-04T10:04:00Z',
  started_at: '2025-03-04T10:04:00Z',
  shortlink: 'https://stspg.io/sp1',
  incident_updates: [
    { id: 'u2', status: 'identified', body: 'Fix rolling out.', display_at: '2025-03-04T10:12:00Z' },
    { id: 'u1', status: 'investigating', body: 'Investigating.', display_at: '2025-03-04T10:04:00Z' },
  ],
  components: [{ id: 'c1', name: 'API' }],
};

/** Slack as it receives the alerts, each as its fallback text plus every block's text. */
const textOf = (post: { body: unknown }) => JSON.stringify(post.body);

describe("alerts carry the provider's own declaration (Slack stand-in, real Postgres)", () => {
  let db: Awaited<ReturnType<typeof testDb>>;
  let slack: SlackStandIn;
  let clock: ManualClock;
  let role: EvaluatorRole;
  let server: Server;
  let body: string;
  let cfg: VigilConfig;

  beforeEach(async () => {
    db = await testDb('postgres');
    slack = await startSlackStandIn();
    clock = manualClock(T0 - 1);
    body = summary([]);
    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v2/summary.json`;
    cfg = config([p], {
      channels: { oncall: { type: 'slack', webhook: '${env:SLACK_WEBHOOK}' } },
      routes: [{ match: {}, channels: ['oncall'] }],
      providers: {
        stripe: {
          name: 'Stripe',
          statusPage: {
            url,
            format: 'statuspage',
            components: ['API'],
            interval: MIN,
            timeout: 5_000,
            excludeDeclaredMaintenance: false,
          },
        },
      },
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
    await new Promise<void>((r) => server.close(() => r()));
    await db.cleanup();
  });

  /** Minute `i`: results stored, the status page polled (when due), one tick, one relay pass. */
  async function minute(i: number, outcome: 'up' | 'down') {
    const at = T0 + i * MIN;
    await insertResults(
      db.h.db,
      ['eu', 'us'].map((r) => result(p.id, r, at, outcome)),
    );
    clock.set(at + 2_000);
    await role.statusPageTick();
    await role.tick();
    await role.relayTick();
  }

  it('says the provider declares nothing at open, then a follow-up when it declares and when it ends', async () => {
    for (let i = 0; i < 2; i++) await minute(i, 'up');
    for (let i = 2; i < 5; i++) await minute(i, 'down');
    const [opened] = await slack.waitFor(1, 5_000);
    expect(textOf(opened!)).toMatch(/^\{"text":"\[DOWN\]/);
    expect(textOf(opened!)).toContain('Stripe declares nothing (status page read 10:04 UTC)');

    // the provider declares a little after our detection: one follow-up, however many ticks see it
    body = summary([incident]);
    for (let i = 5; i < 8; i++) await minute(i, 'down');
    const posts = await slack.waitFor(2, 5_000);
    expect(slack.posts).toHaveLength(2);
    const notice = textOf(posts[1]!);
    expect(notice).toContain('[PROVIDER DECLARES]');
    expect(notice).toContain(
      'Stripe declares: Elevated API error rates — major, since 10:04 UTC, last update 10:12 UTC',
    );
    expect(notice).toContain('https://stspg.io/sp1');

    // the provider resolves while our incident is still open
    body = summary([]);
    for (let i = 8; i < 10; i++) await minute(i, 'down');
    await slack.waitFor(3, 5_000);
    expect(textOf(slack.posts[2]!)).toContain('[PROVIDER DECLARATION ENDED]');
    expect(textOf(slack.posts[2]!)).toContain(
      '*Provider ended*\\nElevated API error rates — major, since 10:04 UTC, ended 10:08 UTC',
    );

    // our incident resolves; a page polled as declaring nothing is not a notice of its own
    for (let i = 10; i < 13; i++) await minute(i, 'up');
    await slack.waitFor(4, 5_000);
    expect(slack.posts).toHaveLength(4);
    expect(textOf(slack.posts[3]!)).toMatch(/^\{"text":"\[RESOLVED\]/);
    const keys = (await listOutbox(db.h.db)).map((r) => r.eventKey.split('@')[0]);
    expect(keys).toEqual([
      'opened',
      'declaration:started:incident:sp_inc_1',
      'declaration:ended:incident:sp_inc_1',
      'resolved',
    ]);
  });

  it('an opening alert carries a declaration the provider made before we detected the outage', async () => {
    body = summary([incident]);
    for (let i = 0; i < 2; i++) await minute(i, 'up');
    for (let i = 2; i < 5; i++) await minute(i, 'down');
    const [opened] = await slack.waitFor(1, 5_000);
    expect(textOf(opened!)).toContain(
      'Stripe declares: Elevated API error rates — major, since 10:04 UTC, last update 10:12 UTC',
    );
    await minute(5, 'down');
    // no follow-up: the opening alert already said it
    expect(slack.posts).toHaveLength(1);
  });

  it('excludeDeclaredMaintenance: slots inside a declared maintenance in progress are excluded, not down', async () => {
    const sp = cfg.providers!.stripe!.statusPage!;
    cfg.providers!.stripe!.statusPage = { ...sp, excludeDeclaredMaintenance: true };
    body = JSON.stringify({
      ...JSON.parse(summary([])),
      scheduled_maintenances: [
        {
          id: 'sp_m_1',
          name: 'Database upgrade',
          status: 'in_progress',
          impact: 'maintenance',
          scheduled_for: new Date(T0 + 2 * MIN).toISOString(),
          scheduled_until: new Date(T0 + 6 * MIN).toISOString(),
          components: [{ id: 'c1', name: 'API' }],
          incident_updates: [],
        },
      ],
    });
    for (let i = 0; i < 2; i++) await minute(i, 'up');
    for (let i = 2; i < 6; i++) await minute(i, 'down');
    await minute(6, 'up');
    expect(await listOutbox(db.h.db)).toEqual([]);
    const [r] = await queryRollups(db.h.db, { subjects: [p.id], from: T0, to: T0 + 60 * MIN });
    // slot 0 comes before the evaluator's first tick; minutes 2–6 are excluded (the page still says in
    // progress at minute 6, so that slot is inside too)
    expect(r?.counts).toMatchObject({ up: 1, excluded: 5, down: 0 });
    // a recompute from raw results judges them the same way
    const again = await recomputeRollups(db.h.db, p.id, hourStartOf(T0), { config: cfg });
    expect(again.counts).toEqual(r?.counts);
  });
});
