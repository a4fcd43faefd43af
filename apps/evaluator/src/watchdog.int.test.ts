import { createServer, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { VigilConfig } from '@vigil/config';
import { slotOffsetMs } from '@vigil/core';
import { insertResults, listIncidents, listOutbox } from '@vigil/db';
import type { AlertEvent } from '@vigil/notify';
import { manualClock, type ManualClock } from '@vigil/testing';
import { createEvaluator, type Evaluator, type TickSummary } from './evaluator.js';
import { startEvaluatorRole, type EvaluatorRole } from './role.js';
import { config, result, spec } from './testing/builders.js';
import { testDb } from './testing/db.js';

const MIN = 60_000;
const p = spec();
const T0 = Date.parse('2025-03-03T10:00:00Z') + slotOffsetMs(p.id, MIN);
const routed = (over: Partial<VigilConfig> = {}): VigilConfig =>
  config([p], {
    channels: {
      oncall: { type: 'slack', webhook: '${env:SLACK_WEBHOOK}' },
      payments: { type: 'slack', webhook: '${env:PAYMENTS_WEBHOOK}' },
    },
    routes: [
      { match: { severity: 'critical' }, channels: ['oncall'] },
      { match: { service: 'payments' }, channels: ['payments'] },
    ],
    ...over,
  });

describe('the watchdog, through incidents and the outbox', () => {
  let db: Awaited<ReturnType<typeof testDb>>;
  let clock: ManualClock;
  let ev: Evaluator;
  beforeEach(async () => {
    db = await testDb('postgres');
    clock = manualClock(T0 - 1);
    ev = createEvaluator({ db: db.h.db, config: () => routed(), clock, holder: 'a', graceMs: 10_000 });
    await ev.tick();
  });
  afterEach(() => db.cleanup());

  /** Stores minute `i`'s results of `regions` (all up) and ticks 2 s later. */
  async function minute(i: number, regions: string[]): Promise<TickSummary> {
    const at = T0 + i * MIN;
    if (regions.length > 0)
      await insertResults(
        db.h.db,
        regions.map((r) => result(p.id, r, at, 'up')),
      );
    clock.set(at + 2_000);
    return ev.tick();
  }

  it('pages on-call once when a region stops reporting and once when it is back; no provider incident', async () => {
    const fresh: boolean[] = [];
    for (let i = 0; i < 3; i++) fresh.push((await minute(i, ['eu', 'us'])).fresh);
    const silent: string[][] = [];
    for (let i = 3; i < 9; i++) {
      const s = await minute(i, ['eu']);
      fresh.push(s.fresh);
      silent.push(s.silent);
    }
    for (let i = 9; i < 11; i++) fresh.push((await minute(i, ['eu', 'us'])).fresh);

    // last us slot 10:02; silent after (2 + 1) × 1 min + 10 s grace, i.e. from the 10:06 tick on
    expect(silent).toEqual([[], [], [], ['us'], ['us'], ['us']]);
    expect(fresh).toEqual([true, true, true, true, true, true, false, false, false, true, true]);
    const incidents = await listIncidents(db.h.db);
    expect(incidents.map((r) => `${r.scope}:${r.key}:${r.kind}:${r.severity}`)).toEqual([
      'monitor:watchdog:us:monitor:page',
    ]);
    expect(incidents[0]).toMatchObject({
      title: 'Vigil: no results from region us',
      openedAt: new Date(T0 + 6 * MIN + 2_000),
      resolvedAt: new Date(T0 + 9 * MIN + 2_000),
      detail: { regions: 'us', every_s: 60 },
    });
    const outbox = await listOutbox(db.h.db);
    expect(outbox.map((o) => `${o.channel}:${(o.payload as AlertEvent).event}`)).toEqual([
      'oncall:opened',
      'oncall:resolved',
    ]);
    expect(outbox[0]!.payload).toMatchObject({ scope: 'monitor', kind: 'monitor', severity: 'page' });
  });

  it('opens one alert for the whole pipeline when every region goes quiet at once', async () => {
    for (let i = 0; i < 3; i++) await minute(i, ['eu', 'us']);
    for (let i = 3; i < 8; i++) expect((await minute(i, [])).leader).toBe(true);
    expect((await listIncidents(db.h.db, { open: true })).map((r) => r.key)).toEqual(['watchdog']);
    await minute(8, ['eu']);
    // eu is back, us is not: the pipeline alert resolves and us is paged on its own
    const open = await listIncidents(db.h.db, { open: true });
    expect(open.map((r) => r.key)).toEqual(['watchdog:us']);
    await minute(9, ['eu', 'us']);
    expect(await listIncidents(db.h.db, { open: true })).toEqual([]);
    const outbox = (await listOutbox(db.h.db)).map((o) => o.payload as AlertEvent);
    expect(outbox.map((a) => `${a.title}:${a.event}`)).toEqual([
      'Vigil: no results from any region:opened',
      'Vigil: no results from any region:resolved',
      'Vigil: no results from region us:opened',
      'Vigil: no results from region us:resolved',
    ]);
  });

  it('keeps an open watchdog alert through a leader change until results really come back', async () => {
    for (let i = 0; i < 3; i++) await minute(i, ['eu', 'us']);
    for (let i = 3; i < 7; i++) await minute(i, ['eu']);
    expect((await listIncidents(db.h.db, { open: true })).map((r) => r.key)).toEqual(['watchdog:us']);
    await ev.release();
    ev = createEvaluator({ db: db.h.db, config: () => routed(), clock, holder: 'b', graceMs: 10_000 });
    await minute(7, ['eu']);
    expect((await listIncidents(db.h.db, { open: true })).map((r) => r.key)).toEqual(['watchdog:us']);
    await minute(8, ['eu', 'us']);
    expect(await listIncidents(db.h.db, { open: true })).toEqual([]);
    expect((await listOutbox(db.h.db)).map((o) => (o.payload as AlertEvent).event)).toEqual([
      'opened',
      'resolved',
    ]);
  });
});

describe('the heartbeat', () => {
  const TOKEN = 'hb-secret-token-5f2c';
  let db: Awaited<ReturnType<typeof testDb>>;
  let clock: ManualClock;
  let server: Server;
  let pings: { method: string; url: string; at: number }[];
  let status: number;
  let role: EvaluatorRole;
  let dir: string;
  const logs: string[] = [];

  beforeEach(async () => {
    db = await testDb('postgres');
    dir = await mkdtemp(join(tmpdir(), 'vigil-hb-'));
    clock = manualClock(T0 - 1);
    pings = [];
    status = 200;
    server = createServer((req, res) => {
      pings.push({ method: req.method ?? '', url: req.url ?? '', at: clock.now() });
      res.writeHead(status).end('OK');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const cfg = config([p], { heartbeat: { url: '${env:HEARTBEAT_URL}', interval: MIN, timeout: 2_000 } });
    role = await startEvaluatorRole({
      db: db.h.db,
      config: () => cfg,
      clock,
      log: pino(
        { level: 'debug' },
        new Writable({
          write(chunk: Buffer, _enc, cb) {
            logs.push(chunk.toString('utf8'));
            cb();
          },
        }),
      ),
      env: { HEARTBEAT_URL: `http://127.0.0.1:${port}/ping/${TOKEN}` },
      holder: 'a',
      graceMs: 10_000,
      tickEveryMs: 0,
      relayPollMs: 0,
      maintainEveryMs: 0,
      heartbeatCheckMs: 0,
      outboxDir: dir,
      reports: false,
    });
    await role.tick();
  });
  afterEach(async () => {
    await role.close();
    await new Promise((r) => server.close(r));
    await rm(dir, { recursive: true, force: true });
    await db.cleanup();
  });

  /** Minute `i`: results of `regions`, a tick, then heartbeat checks at +2 s and +32 s. */
  async function minute(i: number, regions: string[], tick = true): Promise<string[]> {
    const at = T0 + i * MIN;
    if (regions.length > 0)
      await insertResults(
        db.h.db,
        regions.map((r) => result(p.id, r, at, 'up')),
      );
    clock.set(at + 2_000);
    if (tick) await role.tick();
    const a = await role.heartbeatTick();
    clock.set(at + 32_000);
    return [a, await role.heartbeatTick()];
  }

  it('pings once a minute while every region is fresh, stops while one is silent, and resumes', async () => {
    const seen: string[][] = [];
    for (let i = 0; i < 3; i++) seen.push(await minute(i, ['eu', 'us']));
    for (let i = 3; i < 8; i++) seen.push(await minute(i, ['eu']));
    for (let i = 8; i < 10; i++) seen.push(await minute(i, ['eu', 'us']));
    expect(seen).toEqual([
      ['ping', 'wait'],
      ['ping', 'wait'],
      ['ping', 'wait'],
      ['ping', 'wait'],
      ['ping', 'wait'],
      ['ping', 'wait'],
      ['withhold', 'withhold'],
      ['withhold', 'withhold'],
      ['ping', 'wait'],
      ['ping', 'wait'],
    ]);
    expect(pings.map((x) => x.at)).toEqual([0, 1, 2, 3, 4, 5, 8, 9].map((i) => T0 + i * MIN + 2_000));
    expect(pings.every((x) => x.method === 'GET' && x.url === `/ping/${TOKEN}`)).toBe(true);
    expect(logs.join('\n')).toContain('heartbeat withheld');
  });

  it('stops pinging when the evaluator stops completing ticks (a stuck pipeline)', async () => {
    expect(await minute(0, ['eu', 'us'])).toEqual(['ping', 'wait']);
    expect(await minute(1, ['eu', 'us'], false)).toEqual(['withhold', 'withhold']);
    expect(pings).toHaveLength(1);
  });

  it('reports a failed ping by status only and never writes the URL or its token anywhere', async () => {
    status = 503;
    expect(await minute(0, ['eu', 'us'])).toEqual(['failed', 'wait']);
    await new Promise((r) => server.close(r));
    expect(await minute(1, ['eu', 'us'])).toEqual(['failed', 'wait']);
    const text = [logs.join('\n'), JSON.stringify(await listOutbox(db.h.db))].join('\n');
    expect(text).toContain('heartbeat failed');
    expect(text).toContain('"status":503');
    expect(text).toContain('ECONNREFUSED');
    expect(text).not.toContain(TOKEN);
  });
});
