import type { ProbeResult, ProbeSpec } from '@vigil/core';
import type { ProbeJob } from '@vigil/queue';
import { describe, expect, it } from 'vitest';
import { configProblems, createProbeHandler } from './handler.js';

const job: ProbeJob = { probeId: 'p', region: 'eu', slotAt: 60_000, specHash: 'h' };
const spec = { id: 'p' } as ProbeSpec;

function setup(o: { known?: boolean; abortDuringRun?: boolean } = {}) {
  const appended: ProbeResult[] = [];
  const events: string[] = [];
  const ac = new AbortController();
  const handler = createProbeHandler({
    getSpec: async () => (o.known === false ? null : spec),
    run: async (_s, ctx) => {
      if (o.abortDuringRun) ac.abort(new Error('shutdown'));
      return { probeId: 'p', region: ctx.region, slotAt: ctx.slotAt, workerId: ctx.workerId } as ProbeResult;
    },
    sink: { append: async (r) => void appended.push(r) },
    env: {},
    clock: { now: () => 0 },
    workerId: 'eu:w',
    onUnknownProbe: () => events.push('unknown'),
    onAborted: () => events.push('aborted'),
    onResult: () => events.push('result'),
  });
  return { run: () => handler(job, ac.signal), appended, events };
}

describe('probe handler', () => {
  it('appends the result of a run for the slot of its job', async () => {
    const h = setup();
    await h.run();
    expect(h.appended).toEqual([expect.objectContaining({ slotAt: 60_000, region: 'eu', workerId: 'eu:w' })]);
    expect(h.events).toEqual(['result']);
  });

  it.each([
    ['a run aborted by shutdown', { abortDuringRun: true }, 'aborted'],
    ['a job for a probe it cannot find', { known: false }, 'unknown'],
  ])('records nothing for %s', async (_name, o, event) => {
    const h = setup(o);
    await h.run();
    expect(h.appended).toEqual([]);
    expect(h.events).toEqual([event]);
  });
});

describe('a probe that cannot run as configured', () => {
  const needsKey = {
    id: 'stripe-balance',
    spec: { url: 'https://api.stripe.com', headers: { authorization: 'Bearer ${env:STRIPE_KEY}' } },
    expect: {},
  } as unknown as ProbeSpec;
  const canRun = {
    id: 'stripe-status',
    spec: { url: 'https://status.stripe.com' },
    expect: {},
  } as unknown as ProbeSpec;

  it('records every run and is told once, at start or first run, which variables it misses, by name', async () => {
    const told: [string, string[]][] = [];
    const appended: ProbeResult[] = [];
    const env = { OTHER: 'sk_live_secret' };
    const check = configProblems(env, (s, missing) => told.push([s.id, missing]));
    check(canRun);
    check(needsKey);
    const handler = createProbeHandler({
      getSpec: async () => needsKey,
      run: async (_s, ctx) =>
        ({ probeId: needsKey.id, slotAt: ctx.slotAt, errorClass: 'config' }) as ProbeResult,
      sink: { append: async (r) => void appended.push(r) },
      env,
      clock: { now: () => 0 },
      workerId: 'eu:w',
      onConfigProblem: check,
    });
    for (const slotAt of [60_000, 120_000, 180_000])
      await handler({ ...job, slotAt }, new AbortController().signal);
    expect(appended.map((r) => r.slotAt)).toEqual([60_000, 120_000, 180_000]);
    expect(told).toEqual([['stripe-balance', ['STRIPE_KEY']]]);
  });
});
