import { Writable } from 'node:stream';
import { openDb, type DbHandle } from '@vigil/db';
import { startEvaluatorRole } from '@vigil/evaluator';
import type { SchedulerRole } from '@vigil/scheduler';
import { createTestRedis, startSimulator, type Simulator, type TestRedis } from '@vigil/testing';
import { startWorkerRole } from '@vigil/worker';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.js';
import { configWith, httpProbe, startScheduler, testDb, waitUntil, type TestDb } from './support/stack.js';

const SECRET = 'sk_live_outage_0123456789';

type Line = Record<string, unknown> & { level: number; msg: string };

/** A logger whose JSON lines land in `all` (debug too) and, from info up as in production, in `lines`. */
function capturedLog() {
  const all: Line[] = [];
  const raw: string[] = [];
  const log = pino(
    { base: { app: 'test' }, level: 'debug' },
    new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const l of chunk.toString().split('\n'))
          if (l) {
            const line = JSON.parse(l) as Line;
            all.push(line);
            if (line.level >= 30) raw.push(l);
          }
        done();
      },
    }),
  );
  return {
    log,
    all,
    raw,
    get lines() {
      return all.filter((l) => l.level >= 30);
    },
  };
}

const retries = (all: Line[], op: string) =>
  all.filter((l) => l.level === 20 && l.op === op && l.msg === 'still failing; retrying').length;

const outageLines = (lines: Line[], op: string) =>
  lines.filter((l) => l.dependency === 'postgres' && l.op === op);

function expectNoSqlNorSecret(raw: string[]) {
  const text = raw.join('\n');
  for (const s of ['insert into', 'select ', 'Failed query', 'params:', '"probe_results"', SECRET])
    expect(text).not.toContain(s);
}

describe('logs of a Postgres outage', () => {
  let sim: Simulator;
  let db: TestDb;
  let proxy: TcpProxy;
  let viaProxy: DbHandle;
  let redis: TestRedis;
  const cleanup: (() => Promise<unknown>)[] = [];

  beforeEach(async () => {
    sim = await startSimulator({ routes: { '/ok': { behavior: { mode: 'ok', latencyMs: 5 } } } });
    db = await testDb();
    const u = new URL(db.url);
    proxy = await startTcpProxy({ host: u.hostname, port: Number(u.port || 5432) });
    viaProxy = await openDb({ url: proxy.url(db.url), poolSize: 2, onError: () => undefined });
    redis = await createTestRedis('vigil_pglogs');
  });
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
    await viaProxy.close();
    await proxy.close();
    await redis.cleanup();
    await db.close();
    await sim.close();
  });

  it('a worker says once that Postgres is down and once that it is back, with a summary', async () => {
    const probe = httpProbe('pg-logs', `${sim.httpUrl}/ok`, { everyMs: 1_000 });
    probe.spec = { ...probe.spec, headers: { authorization: 'Bearer ${env:API_TOKEN}' } };
    const scheduler: SchedulerRole = await startScheduler({
      db: db.handle,
      redisUrl: redis.url,
      prefix: redis.prefix,
      regions: ['eu'],
      probes: [probe],
    });
    cleanup.push(() => scheduler.close());
    const logs = capturedLog();
    const { log, raw } = logs;
    const role = await startWorkerRole({
      region: 'eu',
      redisUrl: redis.url,
      prefix: redis.prefix,
      db: viaProxy.db,
      workerId: 'eu:logs',
      results: { blockMs: 100, lingerMs: 0, retryDelaysMs: [20, 50] },
      env: { API_TOKEN: SECRET },
      clock: { now: () => Date.now() },
      log,
    });
    cleanup.push(() => role.close());
    const streamLength = () => redis.client.xlen(`${redis.prefix}:results`);
    await waitUntil('a stored result', async () => (await db.rows()).length > 0, 10_000);

    proxy.cut();
    const before = (await db.rows()).length;
    await waitUntil('two slots measured during the cut', async () => (await streamLength()) >= 2, 10_000);
    await waitUntil('more failed attempts', () => retries(logs.all, 'persist results') >= 3, 10_000);
    proxy.resume();
    const [down, up] = await waitUntil(
      'the recovery line',
      () => {
        const l = outageLines(logs.lines, 'persist results');
        return l.length >= 2 && l;
      },
      15_000,
    );
    await waitUntil('the backlog stored', async () => (await db.rows()).length >= before + 2, 10_000);

    const lines = logs.lines;
    expect(outageLines(lines, 'persist results')).toHaveLength(2);
    expect(down).toMatchObject({
      level: 50,
      role: 'worker',
      msg: 'failing; retrying quietly until it works again',
      rows_in_batch: expect.any(Number) as number,
    });
    expect(down!.code === null || /^[A-Z0-9_]+$/.test(String(down!.code))).toBe(true);
    expect(String(down!.err).length).toBeGreaterThan(0);
    expect(String(down!.err).length).toBeLessThanOrEqual(200);
    expect(up).toMatchObject({ level: 30, msg: 'working again after failing' });
    expect(up!.failed_attempts).toBeGreaterThan(1);
    expect(up!.down_ms).toBeGreaterThan(0);
    expect(up!.rows_flushed).toBeGreaterThan(0);
    expect(typeof up!.rows_waiting_in_redis).toBe('number');
    expect(lines.filter((l) => l.level >= 40)).toEqual([down]);
    expectNoSqlNorSecret(raw);
  });

  it('an evaluator says it once per loop (ticks, relay) and once each when Postgres is back', async () => {
    const config = await configWith(['eu'], [httpProbe('pg-eval', `${sim.httpUrl}/ok`)]);
    const logs = capturedLog();
    const { log, raw } = logs;
    const role = await startEvaluatorRole({
      db: viaProxy.db,
      config: () => config,
      clock: { now: () => Date.now() },
      log,
      env: { SMTP_PASSWORD: SECRET },
      tickEveryMs: 20,
      relayPollMs: 20,
      maintainEveryMs: 0,
      heartbeatCheckMs: 0,
      reports: false,
    });
    cleanup.push(() => role.close());
    await role.tick();

    proxy.cut();
    await waitUntil(
      'each loop to fail a few times more after its first failure',
      () => retries(logs.all, 'evaluate') >= 3 && retries(logs.all, 'relay notifications') >= 3,
      10_000,
    );
    proxy.resume();
    await waitUntil(
      'both loops to report recovery',
      () =>
        outageLines(logs.lines, 'evaluate').length >= 2 &&
        outageLines(logs.lines, 'relay notifications').length >= 2,
      15_000,
    );

    const lines = logs.lines;
    for (const op of ['evaluate', 'relay notifications']) {
      const [down, up] = outageLines(lines, op);
      expect(outageLines(lines, op)).toHaveLength(2);
      expect(down).toMatchObject({
        level: 50,
        role: 'evaluator',
        msg: 'failing; retrying quietly until it works again',
      });
      expect(up).toMatchObject({ level: 30, msg: 'working again after failing' });
      expect(up!.failed_attempts).toBeGreaterThanOrEqual(1);
    }
    expect(lines.filter((l) => l.level >= 40)).toHaveLength(2);
    expectNoSqlNorSecret(raw);
  });
});
