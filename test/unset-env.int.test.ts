import { Writable } from 'node:stream';
import type { VigilConfig } from '@vigil/config';
import { slotOffsetMs, summarizeTimes, type ProbeResult, type ProbeSpec } from '@vigil/core';
import {
  insertResults,
  listIncidents,
  migrate,
  openDb,
  queryResults,
  windowTotals,
  type DbHandle,
} from '@vigil/db';
import { readStatus } from '@vigil/evaluation';
import { createEvaluator } from '@vigil/evaluator';
import { runProbe } from '@vigil/probes';
import {
  createTestDatabase,
  manualClock,
  startSimulator,
  type Simulator,
  type TestDatabase,
} from '@vigil/testing';
import { configProblems, createProbeHandler, logConfigProblem } from '@vigil/worker';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const MIN = 60_000;
const SECRET = 'sk_live_51abcdefghijkl';

function probe(id: string, provider: string, url: string, headers: Record<string, string> = {}): ProbeSpec {
  return {
    id,
    name: id,
    provider,
    service: 'payments',
    critical: true,
    schedule: { type: 'interval', everyMs: MIN },
    timeoutMs: 2_000,
    regions: ['eu', 'us'],
    sloTarget: 0.98,
    labels: {},
    runbook: null,
    kind: 'http',
    spec: { url, headers },
    expect: { status: 200 },
    source: { file: 'probes/payments.yaml', line: 1, col: 1 },
  };
}

function configOf(probes: ProbeSpec[]): VigilConfig {
  return {
    root: '/tmp',
    timezone: 'UTC',
    regions: ['eu', 'us'],
    probes,
    services: { payments: { name: 'Payments', providers: ['stripe', 'paypal'], mode: 'any' } },
    channels: {},
    routes: [],
    maintenance: [],
    reports: {},
    alerting: { failures: { failures: 3, window: 5 }, recovery: 2, reminder: 2 * 3_600_000 },
    files: [],
  } as unknown as VigilConfig;
}

describe('a probe whose ${env:…} is unset', () => {
  let sim: Simulator;
  let database: TestDatabase;
  let h: DbHandle;
  beforeEach(async () => {
    sim = await startSimulator({ routes: { '/ok': { behavior: { mode: 'ok', latencyMs: 5 } } } });
    database = await createTestDatabase('vigil_unset_env');
    h = await openDb({ url: database.url, poolSize: 4 });
    await migrate(h);
  });
  afterEach(async () => {
    await h.close();
    await database.drop();
    await sim.close();
  });

  it('records the config class, opens no incident and leaves its provider as its other probes measure it', async () => {
    const url = `${sim.httpUrl}/ok`;
    const stripeStatus = probe('stripe-status', 'stripe', url);
    const stripeBalance = probe('stripe-balance', 'stripe', url, {
      authorization: 'Bearer ${env:STRIPE_KEY}',
    });
    const paypalOrders = probe('paypal-orders', 'paypal', url, {
      authorization: 'Bearer ${env:PAYPAL_TOKEN}',
    });
    const probes = [stripeStatus, stripeBalance, paypalOrders];
    const config = configOf(probes);
    const lines: string[] = [];
    const log = pino(
      { base: { app: 'test' } },
      new Writable({
        write(chunk: Buffer, _enc, done) {
          lines.push(...chunk.toString().trim().split('\n'));
          done();
        },
      }),
    );
    const t0 = Date.parse('2025-03-03T10:00:00Z');
    const clock = manualClock(t0 - 1);
    const stored: ProbeResult[] = [];
    // another variable holds a secret: it must not appear anywhere
    const env = { OTHER_SECRET: SECRET };
    const checkConfig = configProblems(env, logConfigProblem(log));
    for (const p of probes) checkConfig(p);
    const handler = createProbeHandler({
      getSpec: async (id) => probes.find((p) => p.id === id) ?? null,
      run: runProbe,
      sink: { append: async (r) => void stored.push(r) },
      env,
      clock,
      workerId: 'test',
      onConfigProblem: checkConfig,
    });
    const ev = createEvaluator({ db: h.db, config: () => config, clock, holder: 'a', graceMs: 10_000 });
    await ev.tick();
    const minutes = 6;
    for (let i = 0; i < minutes; i++) {
      for (const p of probes) {
        const slotAt = t0 + i * MIN + slotOffsetMs(p.id, MIN);
        clock.set(slotAt);
        for (const region of p.regions)
          await handler({ probeId: p.id, region, slotAt, specHash: 'h' }, new AbortController().signal);
      }
      await insertResults(h.db, stored.splice(0));
      clock.set(t0 + (i + 1) * MIN + 30_000);
      await ev.tick();
    }

    const rows = await queryResults(h.db, { from: new Date(t0), to: new Date(t0 + minutes * MIN) });
    const of = (id: string) => rows.filter((r) => r.probeId === id);
    expect(of('stripe-balance')).toHaveLength(2 * minutes);
    for (const r of [...of('stripe-balance'), ...of('paypal-orders')])
      expect(r).toMatchObject({ outcome: 'down', errorClass: 'config', httpStatus: null });
    expect(of('stripe-balance')[0]!.message).toBe('cannot run: missing environment variable: STRIPE_KEY');
    expect(sim.requests('/ok')).toBe(2 * minutes);

    expect(await listIncidents(h.db)).toEqual([]);

    const window = { from: t0, to: t0 + 4 * MIN };
    const totals = await windowTotals(
      h.db,
      ['stripe-status', 'provider:stripe', 'provider:paypal', 'service:payments', 'stripe-balance'],
      window.from,
      window.to,
    );
    const availability = (s: string) => summarizeTimes(totals.get(s)!.times, window.to - window.from);
    expect(availability('provider:stripe')).toEqual(availability('stripe-status'));
    expect(availability('provider:stripe')).toMatchObject({ availability: 1, downMs: 0 });
    expect(availability('service:payments')).toMatchObject({ availability: 1, downMs: 0 });
    expect(availability('provider:paypal')).toMatchObject({ availability: null, downMs: 0 });
    expect(availability('stripe-balance')).toMatchObject({ availability: null, downMs: 0 });

    const status = await readStatus(h.db, config, clock.now());
    const stateOf = (list: { key: string; state: string }[]) =>
      Object.fromEntries(list.map((s) => [s.key, s.state]));
    expect(stateOf(status.probes)).toEqual({
      'stripe-status': 'up',
      'stripe-balance': 'config',
      'paypal-orders': 'config',
    });
    expect(stateOf(status.providers)).toEqual({ stripe: 'up', paypal: 'config' });
    expect(stateOf(status.services)).toEqual({ payments: 'up' });

    const warned = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.level === 40);
    expect(warned.map((l) => [l.probe_id, l.env])).toEqual([
      ['stripe-balance', ['STRIPE_KEY']],
      ['paypal-orders', ['PAYPAL_TOKEN']],
    ]);
    expect(lines.join('\n')).not.toContain(SECRET);
  });
});
