import { createApi } from '@vigil/api';
import { slotOffsetMs, type PingStore } from '@vigil/core';
import { insertResults, migrate, openDb, openIncidents, queryResults, type DbHandle } from '@vigil/db';
import { config, spec } from '@vigil/evaluation/testing';
import { createEvaluator } from '@vigil/evaluator';
import { runProbe } from '@vigil/probes';
import { createInProcessPingStore, createRedisPingStore, parseProbeJob } from '@vigil/queue';
import { createLogger } from '@vigil/runtime';
import { createTestDatabase, createTestRedis, manualClock, type TestRedis } from '@vigil/testing';
import { createProbeHandler } from '@vigil/worker';
import { afterEach, describe, expect, it } from 'vitest';

/**
 * A push probe end to end on a manual clock: the sender pings through the API, the worker's run of each
 * slot reads the ping store, the real evaluator judges the slots. When the pings stop, slots go down with
 * no_ping and an incident opens. Embedded: one in-process store shared by the API and the worker, as in
 * `vigil run`. Distributed: the API and the worker each with their own Redis connection, as two processes.
 */

const MIN = 60_000;
const START = Date.parse('2025-03-03T10:00:00Z');
const TOKEN = 'hb-token-41d2';
const env = { STRIPE_HB: TOKEN };
const log = createLogger('test', { level: 'silent' });

const probe = spec({
  id: 'stripe-webhooks',
  name: 'Stripe webhooks arrive',
  kind: 'heartbeat',
  spec: { token: '${env:STRIPE_HB}', grace: '30s' },
  expect: {},
  regions: ['eu'],
});
const cfg = config([probe], { regions: ['eu'] });

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

type Mode = { db: DbHandle; api: PingStore; worker: PingStore };

/** `vigil run` without Redis: PGlite, one in-process ping store shared by the API and the worker. */
async function embedded(): Promise<Mode> {
  const db = await openDb({ dataDir: 'memory://' });
  cleanup.push(() => db.close());
  const shared = createInProcessPingStore();
  return { db, api: shared, worker: shared };
}

/** Postgres and Redis: the API's and the worker's ping stores are two connections, as two processes. */
async function distributed(): Promise<Mode> {
  const pg = await createTestDatabase('vigil_hb');
  const db = await openDb({ url: pg.url, poolSize: 4 });
  const redis: TestRedis = await createTestRedis('vigilhb');
  const api = createRedisPingStore({ redisUrl: redis.url, prefix: redis.prefix });
  const worker = createRedisPingStore({ redisUrl: redis.url, prefix: redis.prefix });
  cleanup.push(
    () => pg.drop(),
    () => db.close(),
    () => redis.cleanup(),
    () => api.close(),
    () => worker.close(),
  );
  return { db, api, worker };
}

describe.each([
  ['embedded (in-process ping store)', embedded],
  ['distributed (Redis ping store)', distributed],
])('a heartbeat probe, %s', (_name, mode) => {
  it(
    'is up while pings arrive; when they stop its slots are no_ping and an incident opens',
    { timeout: 120_000 },
    async () => {
      const { db, api: apiPings, worker: workerPings } = await mode();
      await migrate(db);
      const clock = manualClock(START);
      const app = createApi({ db: db.db, config: () => cfg, clock, log, env, pings: apiPings });
      const handler = createProbeHandler({
        getSpec: () => Promise.resolve(probe),
        run: runProbe,
        sink: { append: async (r) => void (await insertResults(db.db, [r])) },
        env,
        clock,
        workerId: 'test',
        pings: workerPings,
      });
      const evaluator = createEvaluator({
        db: db.db,
        config: () => cfg,
        clock,
        holder: 'hb-test',
        graceMs: 10_000,
      });
      await evaluator.tick();

      const SLOTS = 8;
      const offset = slotOffsetMs(probe.id, MIN);
      const slot = (m: number) => START + m * MIN + offset;
      const PINGS_UNTIL = 2; // the sender pings 10 s before slots 0 and 1, then stops
      for (let m = 0; m < SLOTS; m++) {
        if (m < PINGS_UNTIL) {
          clock.set(slot(m) - 10_000);
          const res = await app.request(`/ping/${probe.id}`, {
            method: 'POST',
            headers: { authorization: `Bearer ${TOKEN}` },
          });
          expect(res.status).toBe(202);
        }
        clock.set(slot(m) + 5);
        const job = parseProbeJob({ probeId: probe.id, region: 'eu', specHash: 'h', slotAt: slot(m) });
        await handler(job, new AbortController().signal);
        clock.set(START + (m + 1) * MIN + 2_000);
        await evaluator.tick();
      }

      const results = await queryResults(db.db, {
        probeId: probe.id,
        from: new Date(START),
        to: new Date(START + SLOTS * MIN),
      });
      expect(results).toHaveLength(SLOTS);
      // the last ping (slot 1 − 10 s) still covers slot 2 (interval 1m + grace 30s back from it), not slot 3
      const lastPing = new Date(slot(1) - 10_000).toISOString();
      expect(results.map((r) => r.outcome)).toEqual([
        ...Array<string>(3).fill('up'),
        ...Array<string>(5).fill('down'),
      ]);
      expect(results[3]).toMatchObject({
        errorClass: 'no_ping',
        message: `no ping since ${lastPing} (expected every 1m with 30s grace)`,
      });

      const open = await openIncidents(db.db);
      expect(open.map((i) => ({ scope: i.scope, key: i.key }))).toContainEqual({
        scope: 'probe',
        key: probe.id,
      });
      const incident = open.find((i) => i.scope === 'probe')!;
      // an incident starts at its first bad slot (not when M of N was reached)
      expect(incident.openedAt.getTime()).toBe(slot(3));
      expect(JSON.stringify(open)).not.toContain(TOKEN);
    },
  );
});
