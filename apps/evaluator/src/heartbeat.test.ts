import { describe, expect, it } from 'vitest';
import { manualClock } from '@vigil/testing';
import { Heartbeat, heartbeatDecision, type HeartbeatEvent, type TickView } from './heartbeat.js';

const MIN = 60_000;
const T = Date.parse('2025-03-03T10:00:00Z');
const tick = (at: number, over: Partial<TickView> = {}): TickView => ({
  at,
  leader: true,
  fresh: true,
  ...over,
});

describe('heartbeatDecision', () => {
  it.each([
    ['the first fresh tick', tick(T - 1_000), null, 'ping'],
    ['no tick yet', null, null, 'withhold'],
    ['a tick that saw a silent region', tick(T - 1_000, { fresh: false }), null, 'withhold'],
    ['a tick of a process that is not the leader', tick(T - 1_000, { leader: false }), null, 'withhold'],
    ['a fresh tick one interval old', tick(T - MIN), T - 2 * MIN, 'ping'],
    ['a fresh tick older than an interval (evaluator stuck)', tick(T - MIN - 1), T - 2 * MIN, 'withhold'],
    ['less than an interval since the last ping', tick(T - 1_000), T - MIN + 1, 'wait'],
    ['an interval since the last ping, fresh tick after it', tick(T - 1_000), T - MIN, 'ping'],
    ['an interval since the last ping, no tick after it', tick(T - MIN), T - MIN, 'withhold'],
  ])('%s: %s', (_n, lastTick, lastPingAt, want) => {
    expect(heartbeatDecision({ now: T, everyMs: MIN, lastPingAt, lastTick })).toBe(want);
  });
});

describe('Heartbeat', () => {
  const cfg = { url: 'https://hc.example.com/ping/${env:HC_UUID}', interval: MIN, timeout: 2_000 };

  it('sends the resolved URL, and reports errors without it', async () => {
    const clock = manualClock(T);
    const sent: string[] = [];
    const events: HeartbeatEvent[] = [];
    const hb = new Heartbeat({
      clock,
      env: { HC_UUID: 'uuid-secret-1234' },
      send: (url) => {
        sent.push(url);
        if (sent.length === 2)
          throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${url}`), { code: 'ENOTFOUND' });
        return Promise.resolve(200);
      },
      onEvent: (e) => events.push(e),
    });
    expect(await hb.beat(undefined)).toBe('off');
    hb.noteTick(tick(T));
    expect(await hb.beat(cfg)).toBe('ping');
    clock.advance(MIN);
    hb.noteTick(tick(clock.now()));
    expect(await hb.beat(cfg)).toBe('failed');
    expect(sent).toEqual([
      'https://hc.example.com/ping/uuid-secret-1234',
      'https://hc.example.com/ping/uuid-secret-1234',
    ]);
    expect(events).toEqual([
      { type: 'sent', status: 200 },
      { type: 'failed', status: null, error: 'ENOTFOUND' },
    ]);
  });

  it('says once that pings stopped, and once that they resumed', async () => {
    const clock = manualClock(T);
    const events: string[] = [];
    const hb = new Heartbeat({
      clock,
      env: { HC_UUID: 'x' },
      send: () => Promise.resolve(200),
      onEvent: (e) => events.push(e.type),
    });
    hb.noteTick(tick(T));
    await hb.beat(cfg);
    for (let i = 1; i <= 3; i++) {
      clock.set(T + i * MIN);
      hb.noteTick(tick(clock.now(), { fresh: i === 3 }));
      await hb.beat(cfg);
    }
    expect(events).toEqual(['sent', 'withheld', 'resumed', 'sent']);
  });

  it('reports a missing env variable by code', async () => {
    const events: HeartbeatEvent[] = [];
    const hb = new Heartbeat({
      clock: manualClock(T),
      env: {},
      send: () => Promise.resolve(200),
      onEvent: (e) => events.push(e),
    });
    hb.noteTick(tick(T));
    expect(await hb.beat(cfg)).toBe('failed');
    expect(events).toEqual([{ type: 'failed', status: null, error: 'MISSING_ENV' }]);
  });
});
