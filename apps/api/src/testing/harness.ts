import type { VigilConfig } from '@vigil/config';
import { slotOffsetMs, type Env, type Outcome, type ProbeResult, type ProbeSpec } from '@vigil/core';
import { insertResults, migrate, openDb, type DbHandle } from '@vigil/db';
import { createEvaluator, type Evaluator } from '@vigil/evaluator';
import { createLogger } from '@vigil/runtime';
import { createTestDatabase, manualClock, type ManualClock } from '@vigil/testing';
import { createApi } from '../app.js';
import type { ApiDeps } from '../deps.js';

export { config, spec } from '@vigil/evaluation/testing';

export const MIN = 60_000;

export interface ApiHarnessOptions {
  config: VigilConfig;
  /** the clock starts here; @defaultValue 2025-03-03T10:00:00Z */
  start?: string;
  env?: Env;
  localAccess?: boolean;
  /** `postgres` uses a fresh database on the local server; @defaultValue pglite (the embedded store) */
  driver?: 'pglite' | 'postgres';
  /** the dashboard's live feed interval; @defaultValue 0 (the feed polls only when a test ticks it) */
  liveIntervalMs?: number;
}

export interface ApiHarness {
  db: DbHandle;
  clock: ManualClock;
  evaluator: Evaluator;
  /** the config in force; replace it to change what the API sees */
  config: VigilConfig;
  deps: ApiDeps;
  /** `app.request()` on the whole web surface; `token` is sent as a bearer token */
  request(path: string, init?: RequestInit & { token?: string }): Promise<Response>;
  /**
   * Stores one result per probe and region for each minute slot in [fromMin, toMin) after `start`
   * (outcome by `outcome(probeId, region, minute)`), ticking the real evaluator after each minute.
   * `message` replaces a failing result's message (a target's error text).
   */
  run(
    fromMin: number,
    toMin: number,
    outcome?: (probeId: string, region: string, minute: number) => Outcome,
    message?: (probeId: string, region: string, minute: number) => string | undefined,
  ): Promise<void>;
  close(): Promise<void>;
}

/** One result, as a worker stores it. */
export function result(
  p: ProbeSpec,
  region: string,
  slotAt: number,
  outcome: Outcome,
  latencyMs = 120,
): ProbeResult {
  return {
    probeId: p.id,
    region,
    slotAt,
    startedAt: slotAt + 5,
    phases: { dnsMs: 1, connectMs: 2, tlsMs: 3, ttfbMs: latencyMs - 10, transferMs: 1, totalMs: latencyMs },
    outcome,
    httpStatus: outcome === 'up' ? 200 : 503,
    errorClass: outcome === 'up' ? null : 'http_status',
    message: outcome === 'up' ? null : 'expected status 200, got 503',
    assertions: [],
    retryAfterS: null,
    tlsDaysLeft: null,
    workerId: 'test',
  };
}

/** The web surface over a real store and the real evaluator, on a manual clock (no server, no socket). */
export async function apiHarness(o: ApiHarnessOptions): Promise<ApiHarness> {
  let dropDb = async () => undefined as void;
  let db: DbHandle;
  if (o.driver === 'postgres') {
    const t = await createTestDatabase('vigil_api');
    db = await openDb({ url: t.url, poolSize: 4 });
    dropDb = () => t.drop();
  } else db = await openDb({ dataDir: 'memory://' });
  await migrate(db);
  const start = Date.parse(o.start ?? '2025-03-03T10:00:00Z');
  const clock = manualClock(start);
  const h: ApiHarness = {
    db,
    clock,
    config: o.config,
    evaluator: undefined as unknown as Evaluator,
    deps: undefined as unknown as ApiDeps,
    request: (path, init = {}) => {
      const { token, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (token !== undefined) headers.set('authorization', `Bearer ${token}`);
      return Promise.resolve(app.request(path, { ...rest, headers }));
    },
    async run(fromMin, toMin, outcome = () => 'up', message = () => undefined) {
      for (let m = fromMin; m < toMin; m++) {
        const rows = h.config.probes.flatMap((p) => {
          const every = p.schedule.type === 'interval' ? p.schedule.everyMs : MIN;
          const at = start + m * MIN + slotOffsetMs(p.id, every);
          return p.regions.map((r) => {
            const row = result(p, r, at, outcome(p.id, r, m));
            const text = row.outcome === 'up' ? undefined : message(p.id, r, m);
            return text === undefined ? row : { ...row, message: text };
          });
        });
        await insertResults(db.db, rows);
        clock.set(start + (m + 1) * MIN + 2_000);
        await h.evaluator.tick();
      }
    },
    async close() {
      await db.close();
      await dropDb();
    },
  };
  h.evaluator = createEvaluator({
    db: db.db,
    config: () => h.config,
    clock,
    holder: 'api-test',
    graceMs: 10_000,
  });
  h.deps = {
    db: db.db,
    config: () => h.config,
    clock,
    log: createLogger('api', { level: 'silent' }),
    env: o.env ?? {},
    localAccess: o.localAccess ?? false,
    liveIntervalMs: o.liveIntervalMs ?? 0,
  };
  const app = createApi(h.deps);
  await h.evaluator.tick();
  return h;
}
