import { Writable } from 'node:stream';
import { evaluateSlot, type ProbeResult, type ProbeSpec } from '@vigil/core';
import { ensurePartitions, insertResults, migrate, openDb, queryResults, type DbHandle } from '@vigil/db';
import { runProbe } from '@vigil/probes';
import {
  createInProcessProviderGate,
  createRedisProviderGate,
  type ProbeJob,
  type ProviderGate,
} from '@vigil/queue';
import {
  createTestDatabase,
  createTestRedis,
  manualClock,
  startSimulator,
  type ManualClock,
  type Simulator,
  type TestDatabase,
  type TestRedis,
} from '@vigil/testing';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createProbeHandler } from './handler.js';
import { rateLimitLogging } from './role.js';

/**
 * Scripted scenarios on the simulator, end to end through the real http kind, the real gate (Redis, or
 * this process as in embedded `vigil run`) and Postgres (or PGlite), on an injected clock: each slot is
 * run when the clock says so, one handler per region (a worker each) or one for all (embedded).
 */
const T0 = Date.parse('2025-03-03T10:00:00Z');
const S = 1000;
const PATH = '/stripe/v1/balance';

const probe = (id: string, url: string, regions: string[], everyMs: number): ProbeSpec => ({
  id,
  name: id,
  provider: 'stripe',
  service: 'payments',
  critical: true,
  schedule: { type: 'interval', everyMs },
  timeoutMs: 2_000,
  regions,
  sloTarget: 0.98,
  labels: {},
  runbook: null,
  kind: 'http',
  spec: { url },
  expect: { status: 200 },
  source: { file: 'probes/p.yaml', line: 1, col: 1 },
});

/** A logger whose lines are kept (one JSON object each). */
function capturingLog() {
  const lines: { msg: string; provider?: string }[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n')) if (l.trim()) lines.push(JSON.parse(l));
      done();
    },
  });
  return { log: pino({ level: 'info' }, stream), lines };
}

interface Mode {
  name: string;
  /** a gate per region's worker (distributed) or the same one for all (embedded) */
  gates(regions: string[]): Promise<Record<string, ProviderGate>>;
  sink(): Promise<{ append(r: ProbeResult): Promise<void>; rows(): Promise<ProbeResult[]> }>;
}

let redis: TestRedis | undefined;
let pgDb: TestDatabase | undefined;
const handles: DbHandle[] = [];
const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
  for (const h of handles.splice(0)) await h.close();
  await redis?.cleanup();
  redis = undefined;
  await pgDb?.drop();
  pgDb = undefined;
});

const sinkOn = async (h: DbHandle) => {
  handles.push(h);
  await migrate(h);
  await ensurePartitions(h.db, new Date(T0), 1);
  return {
    append: async (r: ProbeResult) => void (await insertResults(h.db, [r])),
    rows: () => queryResults(h.db, { from: new Date(T0 - S), to: new Date(T0 + 3_600_000) }),
  };
};

const modes: Mode[] = [
  {
    name: 'distributed (a worker per region, the budget and defers in Redis, Postgres)',
    async gates(regions) {
      redis = await createTestRedis('vigilrlscn');
      const out: Record<string, ProviderGate> = {};
      for (const r of regions) {
        out[r] = createRedisProviderGate({ redisUrl: redis.url, prefix: redis.prefix });
        closers.push(() => out[r]!.close());
      }
      return out;
    },
    async sink() {
      pgDb = await createTestDatabase('vigil_rlscn');
      return sinkOn(await openDb({ url: pgDb.url }));
    },
  },
  {
    name: 'embedded (one process for every region, in-process gate, PGlite)',
    gates(regions) {
      const g = createInProcessProviderGate();
      return Promise.resolve(Object.fromEntries(regions.map((r) => [r, g])));
    },
    async sink() {
      return sinkOn(await openDb({ dataDir: 'memory://' }));
    },
  },
];

async function stack(mode: Mode, regions: string[], routes: Parameters<typeof startSimulator>[0]) {
  const clock: ManualClock = manualClock(T0);
  const sentAt: number[] = [];
  const sim: Simulator = await startSimulator({
    ...routes,
    clock,
    onRequest: (e) => {
      if (e.path === PATH) sentAt.push(clock.now());
    },
  });
  closers.push(() => sim.close());
  const gates = await mode.gates(regions);
  const sink = await mode.sink();
  const { log, lines } = capturingLog();
  const specs = new Map<string, ProbeSpec>();
  const handlers = Object.fromEntries(
    regions.map((region) => [
      region,
      createProbeHandler({
        getSpec: async (id) => specs.get(id) ?? null,
        run: runProbe,
        sink,
        env: {},
        clock,
        workerId: `${region}:w`,
        gate: gates[region]!,
        ...rateLimitLogging(log),
      }),
    ]),
  );
  /** runs every region of `probes`' slot at `slotAt`, the clock a little after it */
  const slot = async (p: ProbeSpec, slotAt: number) => {
    for (const [i, region] of p.regions.entries()) {
      clock.set(slotAt + 10 + i * 20);
      const job: ProbeJob = { probeId: p.id, region, slotAt, specHash: 'h' };
      await handlers[region]!(job, new AbortController().signal);
    }
  };
  return { clock, sim, sentAt, sink, lines, specs, gates, slot };
}

describe.each(modes)('rate limits, $name', (mode) => {
  it('a 429 with Retry-After 30 s defers the provider in every region: its slots are rate_limited, sent nothing, logged once', async () => {
    const regions = ['eu', 'us'];
    const s = await stack(mode, regions, {
      routes: {
        [PATH]: {
          behavior: { mode: 'ok' },
          outages: [{ fromMs: 10 * S, toMs: 12 * S, behavior: { mode: 'rate_limited', retryAfterS: 30 } }],
        },
      },
    });
    const p = probe('stripe-balance', `${s.sim.httpUrl}${PATH}`, regions, 5 * S);
    s.specs.set(p.id, p);
    for (let k = 0; k < 12; k++) await s.slot(p, T0 + k * 5 * S);

    const rows = await s.sink.rows();
    // a result per (probe, region, slot), exactly once
    expect(rows).toHaveLength(12 * 2);
    expect(new Set(rows.map((r) => `${r.region}@${r.slotAt}`)).size).toBe(24);
    const by = (sec: number, region: string) =>
      rows.find((r) => r.slotAt === T0 + sec * S && r.region === region)!;
    expect(by(10, 'eu')).toMatchObject({ outcome: 'rate_limited', httpStatus: 429, retryAfterS: 30 });
    for (const sec of [10, 15, 20, 25, 30, 35])
      for (const region of regions)
        if (!(sec === 10 && region === 'eu'))
          expect(by(sec, region)).toMatchObject({
            outcome: 'rate_limited',
            errorClass: 'rate_limited',
            httpStatus: null,
            message: expect.stringContaining('(Retry-After); slot deferred'),
          });
    // the defer ends 30 s after the 429 was received (10.01 s): slot 40 runs at 40.01 s
    for (const sec of [0, 5, 40, 45, 50, 55])
      for (const region of regions) expect(by(sec, region).outcome).toBe('up');
    // slots 0 and 5 in two regions, the 429, then 40 to 55 in two regions: nothing while deferred
    expect(s.sim.requests(PATH)).toBe(4 + 1 + 8);
    expect(s.sentAt.filter((t) => t > T0 + 11 * S && t < T0 + 40 * S)).toEqual([]);
    expect(s.lines.filter((l) => l.msg.includes('Retry-After'))).toHaveLength(1);

    // for the evaluator a deferred slot is neither up nor down nor missing
    const slot20 = rows.filter((r) => r.slotAt === T0 + 20 * S);
    expect(
      evaluateSlot({
        at: T0 + 20 * S,
        durationMs: 5 * S,
        results: slot20.map((r) => ({
          region: r.region,
          outcome: r.outcome,
          latencyMs: null,
          errorClass: r.errorClass,
        })),
        regionsExpected: regions,
        latencyThresholdMs: 500,
        excluded: false,
      }).verdict,
    ).toBe('rate_limited');
  }, 60_000);

  it('keeps a budget of 10 a minute over 3 regions: whole slots are sent, the rest rate_limited, each once', async () => {
    const regions = ['eu', 'us', 'ap'];
    const s = await stack(mode, regions, { routes: { [PATH]: { behavior: { mode: 'ok' } } } });
    const gate = Object.values(s.gates)[0]!;
    await gate.setBudgets({ stripe: { requests: 10, perMs: 60 * S } });
    // two probes every 10 s in 3 regions: 36 requests a minute planned against 10
    const probes = ['a', 'b'].map((id) => probe(`stripe-${id}`, `${s.sim.httpUrl}${PATH}`, regions, 10 * S));
    for (const p of probes) s.specs.set(p.id, p);
    for (let k = 0; k < 18; k++)
      for (const [i, p] of probes.entries()) await s.slot(p, T0 + k * 10 * S + i * 3 * S);

    const rows = await s.sink.rows();
    expect(rows).toHaveLength(18 * 2 * 3);
    const sent = rows.filter((r) => r.outcome === 'up');
    const notSent = rows.filter((r) => r.outcome === 'rate_limited');
    expect(sent.length + notSent.length).toBe(rows.length);
    expect(
      notSent.every((r) => r.httpStatus === null && r.message?.includes('budget of 10 requests per 1m')),
    ).toBe(true);
    // no minute of scheduled slots holds more than 10 sent requests, and the simulator saw exactly those
    for (const r of sent)
      expect(
        sent.filter((o) => o.slotAt > r.slotAt - 60 * S && o.slotAt <= r.slotAt).length,
      ).toBeLessThanOrEqual(10);
    expect(s.sim.requests(PATH)).toBe(sent.length);
    // whole slots: 3 regions or none; 3 slots a minute fit, so about 9 of 10 are used, by both probes
    const perSlot = new Map<string, number>();
    for (const r of sent)
      perSlot.set(`${r.probeId}@${r.slotAt}`, (perSlot.get(`${r.probeId}@${r.slotAt}`) ?? 0) + 1);
    expect(new Set(perSlot.values())).toEqual(new Set([3]));
    expect(perSlot.size).toBeGreaterThanOrEqual(8);
    for (const p of probes) expect(sent.filter((r) => r.probeId === p.id).length).toBeGreaterThanOrEqual(9);
    // the budget running out is said once per window, not per slot
    const spent = s.lines.filter((l) => l.msg.includes('budget spent'));
    expect(spent.length).toBeGreaterThanOrEqual(1);
    expect(spent.length).toBeLessThanOrEqual(3);
  }, 60_000);
});
