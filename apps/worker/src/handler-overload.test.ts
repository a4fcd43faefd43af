import { slotOffsetMs, type ProbeResult, type ProbeSpec } from '@vigil/core';
import type { ProbeJob } from '@vigil/queue';
import { describe, expect, it } from 'vitest';
import { createProbeHandler } from './handler.js';
import type { LoopDelaySource } from './loop-delay.js';
import type { OverloadPolicy } from './overload.js';

const S = 1_000;
const DAY = Date.parse('2026-12-01T00:00:00Z');
const spec = (everyMs = 10 * S): ProbeSpec =>
  ({
    id: 'p',
    kind: 'http',
    provider: 'sim',
    regions: ['eu'],
    timeoutMs: 5 * S,
    schedule: { type: 'interval', everyMs },
  }) as ProbeSpec;

type Saw = Pick<ProbeResult, 'outcome' | 'errorClass' | 'message'> & Partial<ProbeResult>;

function setup(o: { spec?: ProbeSpec; saw?: Saw; stallMs?: number; overload?: OverloadPolicy } = {}) {
  const every = (o.spec ?? spec()).schedule as { everyMs: number };
  // slot 0 of the probe's grid (interval plus the probe's offset): T0 + k * interval are its slots
  const T0 = DAY + slotOffsetMs('p', every.everyMs);
  let now = T0;
  const appended: ProbeResult[] = [];
  const sent: number[] = [];
  const events: string[] = [];
  // the stall the loop-delay source reports for the run, once the run is over
  let stall = 0;
  const loopDelay: LoopDelaySource = { mark: () => 0, stalledMsSince: () => stall };
  const handler = createProbeHandler({
    getSpec: async () => o.spec ?? spec(),
    run: async (_s, ctx) => {
      sent.push(ctx.slotAt);
      stall = o.stallMs ?? 0;
      return {
        probeId: 'p',
        region: ctx.region,
        slotAt: ctx.slotAt,
        startedAt: now,
        phases: { dnsMs: 0, connectMs: 1, tlsMs: null, ttfbMs: 1, transferMs: 0, totalMs: 1_250 },
        httpStatus: 200,
        assertions: [],
        retryAfterS: null,
        tlsDaysLeft: null,
        workerId: ctx.workerId,
        ...(o.saw ?? { outcome: 'up', errorClass: null, message: null }),
      } as ProbeResult;
    },
    sink: { append: async (r) => void appended.push(r) },
    env: {},
    clock: { now: () => now },
    workerId: 'eu:w',
    loopDelay,
    ...(o.overload && { overload: o.overload }),
    onStale: (job, lag) => events.push(`stale ${(job.slotAt - T0) / S} late ${lag / S}s`),
    onOverloaded: (r) => events.push(`overloaded ${(r.slotAt - T0) / S}`),
  });
  const run = (slotS: number, atS: number) => {
    now = T0 + atS * S;
    const job: ProbeJob = { probeId: 'p', region: 'eu', slotAt: T0 + slotS * S, specHash: 'h' };
    return handler(job, new AbortController().signal);
  };
  return { run, appended, sent, events, T0 };
}

describe('a run the monitor itself slowed', () => {
  it('is recorded overloaded when the event loop stalled during it: outcome and phases kept', async () => {
    const h = setup({ stallMs: 1_200 });
    await h.run(0, 0.01);
    expect(h.appended).toEqual([
      expect.objectContaining({
        outcome: 'up',
        errorClass: 'overloaded',
        phases: expect.objectContaining({ totalMs: 1_250 }),
        message:
          'Vigil overloaded: its event loop was stalled 1.20 s during the run; not counted against the provider (measured 1250 ms)',
      }),
    ]);
    expect(h.events).toEqual(['overloaded 0']);
  });

  it('is recorded as measured when the stalls were short, or a small part of a long run', async () => {
    const hang = setup({
      stallMs: 400,
      saw: {
        outcome: 'down',
        errorClass: 'timeout',
        message: 'no response within 5 s',
        phases: { dnsMs: 0, connectMs: 1, tlsMs: null, ttfbMs: null, transferMs: null, totalMs: 5_000 },
      },
    });
    await hang.run(0, 0.01);
    expect(hang.appended[0]).toMatchObject({ errorClass: 'timeout' });

    const h = setup({ stallMs: 150 });
    await h.run(0, 0.01);
    expect(h.appended).toEqual([expect.objectContaining({ outcome: 'up', errorClass: null, message: null })]);
    expect(h.events).toEqual([]);
  });

  it('turns a timeout or a slow responseTime into overloaded, never a status the provider sent', async () => {
    const timeout = setup({
      stallMs: 6_000,
      saw: { outcome: 'down', errorClass: 'timeout', message: 'no response within 5 s' },
    });
    await timeout.run(0, 0.01);
    expect(timeout.appended[0]).toMatchObject({
      outcome: 'down',
      errorClass: 'overloaded',
      message:
        'Vigil overloaded: its event loop was stalled 6.00 s during the run; not counted against the provider (no response within 5 s)',
    });
    const slow = setup({
      stallMs: 900,
      saw: {
        outcome: 'down',
        errorClass: 'assertion_failed',
        message: 'expected responseTime < 500 ms, got 930 ms',
        assertions: [
          { name: 'status', ok: true, expected: '200', actual: '200', message: '' },
          { name: 'responseTime', ok: false, expected: '< 500', actual: '930', message: '' },
        ],
      },
    });
    await slow.run(0, 0.01);
    expect(slow.appended[0]!.errorClass).toBe('overloaded');
    const status = setup({
      stallMs: 6_000,
      saw: { outcome: 'down', errorClass: 'http_status', message: 'expected status 200, got 503' },
    });
    await status.run(0, 0.01);
    expect(status.appended[0]).toMatchObject({
      errorClass: 'http_status',
      message: 'expected status 200, got 503',
    });
  });
});

describe('a job whose slot is over', () => {
  it('is not run and records nothing (no data): a restart after downtime sends no late runs', async () => {
    const h = setup();
    // Vigil was down from slot 0 on; the queue hands the old slot over 10 intervals later
    await h.run(0, 100);
    expect(h.sent).toEqual([]);
    expect(h.appended).toEqual([]);
    expect(h.events).toEqual(['stale 0 late 100s']);
    // the next slot, on time, runs
    await h.run(100, 100.02);
    expect(h.sent).toEqual([h.T0 + 100 * S]);
  });

  it("runs within the re-run window (a killed worker's slot after stalled recovery), marked overloaded", async () => {
    // lock 15 s + stalled 15 s + 1 s: a 10 s probe with a 5 s timeout runs until 10 + 31 + 5 s late
    const h = setup({ overload: { rerunWindowMs: 31 * S } });
    await h.run(0, 33);
    expect(h.sent).toEqual([h.T0]);
    expect(h.appended[0]).toMatchObject({
      outcome: 'up',
      errorClass: 'overloaded',
      message:
        'Vigil overloaded: the run started 33.0 s after its slot; not counted against the provider (measured 1250 ms)',
    });
    await h.run(10, 10 + 47);
    expect(h.sent).toEqual([h.T0]);
    expect(h.events).toEqual(['overloaded 0', 'stale 10 late 47s']);
  });

  it('runs unmarked while it starts inside its slot', async () => {
    const h = setup({ spec: spec(60 * S) });
    await h.run(0, 45);
    expect(h.appended[0]).toMatchObject({ errorClass: null });
  });
});
