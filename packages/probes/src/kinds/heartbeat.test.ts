import type { EpochMs, PingStore } from '@vigil/core';
import { manualClock } from '@vigil/testing';
import { describe, expect, it } from 'vitest';
import { runProbe } from '../run-probe.js';
import { probeSpec } from '../testing/probes.js';
import { heartbeatSpecSchema } from './heartbeat.js';

const MIN = 60_000;
const T0 = Date.parse('2025-03-03T10:00:00Z');
const env = { HB_TOKEN: 'hb-secret-1' };

/** A store that answers what the test says; `watchingSince` fixed at T0 unless set. */
function fakeStore(o: { lastPingAt?: EpochMs | null; watchingSince?: EpochMs } = {}) {
  const asked: string[] = [];
  const store: Pick<PingStore, 'lastPing'> & { asked: string[] } = {
    asked,
    lastPing(probeId) {
      asked.push(probeId);
      return Promise.resolve({ lastPingAt: o.lastPingAt ?? null, watchingSince: o.watchingSince ?? T0 });
    },
  };
  return store;
}

/** Every 5 minutes with 1 minute of grace. */
const hb = {
  ...probeSpec('heartbeat', { token: '${env:HB_TOKEN}', grace: '1m' }),
  schedule: { type: 'interval' as const, everyMs: 5 * MIN },
};

async function judge(slotAt: EpochMs, store: Pick<PingStore, 'lastPing'> | undefined, nowAt = slotAt + 20) {
  const clock = manualClock(nowAt);
  return runProbe(hb, { env, clock, region: 'local', slotAt, workerId: 't', ...(store && { pings: store }) });
}

describe('heartbeat', () => {
  it('is up while the last ping is within interval + grace of the slot, down with no_ping after', async () => {
    const slotAt = T0 + 60 * MIN;
    const from = slotAt - 6 * MIN; // interval 5m + grace 1m
    const store = fakeStore({ lastPingAt: from + 1 });
    const up = await judge(slotAt, store);
    expect(up).toMatchObject({ outcome: 'up', errorClass: null, message: null, slotAt, probeId: hb.id });
    expect(store.asked).toEqual([hb.id]);

    const late = await judge(slotAt, fakeStore({ lastPingAt: from }));
    expect(late).toMatchObject({ outcome: 'down', errorClass: 'no_ping', httpStatus: null });
    expect(late.message).toBe(
      `no ping since ${new Date(from).toISOString()} (expected every 5m with 1m grace)`,
    );
    // a ping between the slot and the run counts
    expect((await judge(slotAt, fakeStore({ lastPingAt: slotAt + 10 }))).outcome).toBe('up');
  });

  it('gives a never-pinged probe one interval and grace from when the store first awaited it', async () => {
    const watchingSince = T0;
    const store = fakeStore({ lastPingAt: null, watchingSince });
    expect((await judge(T0 + 5 * MIN, store)).outcome).toBe('up');
    expect((await judge(T0 + 6 * MIN - 1, store)).outcome).toBe('up');
    const down = await judge(T0 + 6 * MIN, store);
    expect(down).toMatchObject({ outcome: 'down', errorClass: 'no_ping' });
    expect(down.message).toBe(
      `no ping since ${new Date(watchingSince).toISOString()} (none received yet; expected every 5m with 1m grace)`,
    );
  });

  it('is the monitor’s problem (internal), not downtime, without a store, with a cron schedule or a store that does not answer', async () => {
    const noStore = await judge(T0, undefined);
    expect(noStore).toMatchObject({ outcome: 'down', errorClass: 'internal' });
    expect(noStore.message).toMatch(/no ping store/);

    const cron = await runProbe(
      { ...hb, schedule: { type: 'cron', cron: '*/5 * * * *', tz: 'UTC' } },
      { env, clock: manualClock(T0), region: 'local', slotAt: T0, workerId: 't', pings: fakeStore() },
    );
    expect(cron).toMatchObject({ errorClass: 'internal' });
    expect(cron.message).toMatch(/cron schedule is not supported/);

    const silent: Pick<PingStore, 'lastPing'> = { lastPing: () => new Promise(() => undefined) };
    const hung = await runProbe(
      { ...hb, timeoutMs: 20 },
      { env, clock: manualClock(T0), region: 'local', slotAt: T0, workerId: 't', pings: silent },
    );
    expect(hung).toMatchObject({ outcome: 'down', errorClass: 'internal' });
    expect(hung.message).toBe('the ping store did not answer within 20ms');
  });

  it('cannot run with its token unset: errorClass config, the slot excluded', async () => {
    const r = await runProbe(hb, {
      env: {},
      clock: manualClock(T0),
      region: 'local',
      slotAt: T0,
      workerId: 't',
      pings: fakeStore({ lastPingAt: T0 }),
    });
    expect(r).toMatchObject({ outcome: 'down', errorClass: 'config' });
    expect(r.message).toMatch(/HB_TOKEN/);
  });

  it('takes the token only as an ${env:…} reference and never echoes a literal one', () => {
    expect(heartbeatSpecSchema.parse({ token: '${env:HB_TOKEN}' })).toEqual({
      token: '${env:HB_TOKEN}',
      grace: '1m',
    });
    for (const token of ['hb-secret-1', '${env:HB_TOKEN:-hb-secret-1}', 'x${env:HB_TOKEN}']) {
      const r = heartbeatSpecSchema.safeParse({ token });
      expect(r.success).toBe(false);
      expect(JSON.stringify(r.error?.issues)).not.toContain('hb-secret-1');
    }
    expect(heartbeatSpecSchema.safeParse({ token: '${env:T}', grace: '90s' }).success).toBe(true);
    expect(heartbeatSpecSchema.safeParse({ token: '${env:T}', grace: '1h30m' }).success).toBe(true);
    expect(heartbeatSpecSchema.safeParse({ token: '${env:T}', grace: 'soon' }).success).toBe(false);
    expect(heartbeatSpecSchema.safeParse({ token: '${env:T}', grace: '8d' }).success).toBe(false);
    expect(heartbeatSpecSchema.safeParse({ token: '${env:T}', extra: 1 }).success).toBe(false);
  });
});
