import { describe, expect, it } from 'vitest';
import { spec } from '../testing/builders.js';
import { isSilenced } from './silences.js';
import {
  RegionWatch,
  silenceLimitMs,
  watchdogKey,
  watchdogStep,
  watchedRegions,
  watchdogTitle,
  WATCHDOG_ALL,
  type WatchdogInput,
} from './watchdog.js';

const S = 1_000;
const MIN = 60 * S;
const policy = { intervals: 2, graceMs: 30 * S };
// one-minute probes: a region is silent 3.5 min after its newest result's slot began
const LIMIT = silenceLimitMs(MIN, policy);
const T = Date.parse('2025-03-03T10:00:00Z');
const regions = [
  { region: 'eu', everyMs: MIN },
  { region: 'us', everyMs: MIN },
];

const step = (over: Partial<WatchdogInput>) =>
  watchdogStep(
    {
      now: T,
      regions,
      lastSeen: new Map(),
      since: new Map([
        ['eu', T - 10 * MIN],
        ['us', T - 10 * MIN],
      ]),
      open: new Map(),
      ...over,
    },
    policy,
  );
const seen = (eu: number | null, us: number | null) =>
  new Map(
    [
      ['eu', eu],
      ['us', us],
    ].filter((e): e is [string, number] => e[1] !== null),
  );
const brief = (o: ReturnType<typeof step>) =>
  o.events.map((e) => `${e.type} ${e.key}${e.silent ? ' (silent)' : ''}`);

describe('watchdogStep', () => {
  it('waits 2 intervals past the grace: (2 + 1) × 1 min + 30 s after the newest slot', () => {
    expect(LIMIT).toBe(3.5 * MIN);
  });

  it.each([
    ['both fresh', seen(T - MIN, T - MIN), [], [], true],
    ['eu exactly at the limit', seen(T - LIMIT, T - MIN), [], [], true],
    ['eu one ms past the limit', seen(T - LIMIT - 1, T - MIN), [], ['opened watchdog:eu'], false],
    ['eu never seen in 10 min of watching', seen(null, T - MIN), [], ['opened watchdog:eu'], false],
    [
      'both silent: one alert for the whole pipeline',
      seen(T - 5 * MIN, T - 6 * MIN),
      [],
      ['opened watchdog'],
      false,
    ],
    [
      'eu back: its alert resolves',
      seen(T - MIN, T - MIN),
      [watchdogKey('eu')],
      ['resolved watchdog:eu'],
      true,
    ],
    ['eu still silent: nothing new', seen(T - 5 * MIN, T), [watchdogKey('eu')], [], false],
    [
      'us falls silent too: the pipeline alert opens, eu stays open',
      seen(T - 5 * MIN, T - 5 * MIN),
      [watchdogKey('eu')],
      ['opened watchdog'],
      false,
    ],
    [
      'us back, eu not: the pipeline alert resolves and eu alerts alone',
      seen(T - 9 * MIN, T - MIN),
      [WATCHDOG_ALL],
      ['resolved watchdog', 'opened watchdog:eu'],
      false,
    ],
    [
      'everything back',
      seen(T, T),
      [WATCHDOG_ALL, watchdogKey('eu')],
      ['resolved watchdog', 'resolved watchdog:eu'],
      true,
    ],
  ])('%s', (_n, lastSeen, open, events, fresh) => {
    const out = step({ lastSeen, open: new Map(open.map((k) => [k, T - 20 * MIN])) });
    expect(brief(out)).toEqual(events);
    expect(out.fresh).toBe(fresh);
  });

  it('neither alerts nor resolves before it has watched a region for the limit (a new leader)', () => {
    const since = new Map([
      ['eu', T - MIN],
      ['us', T - MIN],
    ]);
    const open = new Map([[watchdogKey('eu'), T - 30 * MIN]]);
    const out = step({ since, open, lastSeen: seen(null, T - 20 * S) });
    expect(out.events).toEqual([]);
    expect(out.regions.map((r) => `${r.region}:${r.state}`)).toEqual(['eu:unknown', 'us:fresh']);
    expect(out.fresh).toBe(false);
  });

  it('calls nobody silent while the evaluator is catching up on old slots', () => {
    const out = step({ lastSeen: seen(T - 30 * MIN, T - 30 * MIN), caughtUp: false });
    expect(out.events).toEqual([]);
    expect(out.fresh).toBe(false);
  });

  it('resolves without a notification the alert of a region no probe runs in any more', () => {
    const out = step({
      regions: [regions[1]!],
      lastSeen: seen(null, T),
      open: new Map([
        [watchdogKey('eu'), T - 5 * MIN],
        [WATCHDOG_ALL, T - 5 * MIN],
      ]),
    });
    expect(brief(out)).toEqual(['resolved watchdog', 'resolved watchdog:eu (silent)']);
    expect(out.events.find((e) => e.key === WATCHDOG_ALL)?.silent).toBeUndefined();
  });

  it('opens a monitor-scope incident event with what was seen, at now', () => {
    const [e] = step({ lastSeen: seen(T - 5 * MIN, T) }).events;
    expect(e).toEqual({
      type: 'opened',
      scope: 'monitor',
      key: 'watchdog:eu',
      kind: 'monitor',
      at: T,
      openedAt: T,
      detail: { regions: 'eu', silent_s: 300, every_s: 60 },
    });
    expect(watchdogTitle(e!.key)).toBe('Vigil: no results from region eu');
    expect(watchdogTitle(WATCHDOG_ALL)).toBe('Vigil: no results from any region');
  });

  it('is never fresh with no region to watch', () => {
    expect(step({ regions: [] })).toEqual({ regions: [], fresh: false, events: [] });
  });
});

describe('watchedRegions', () => {
  it("takes each region's fastest probe", () => {
    const probes = [
      spec({ id: 'a', regions: ['eu', 'us'], schedule: { type: 'interval', everyMs: 5 * MIN } }),
      spec({ id: 'b', regions: ['eu'], schedule: { type: 'interval', everyMs: 30 * S } }),
      spec({ id: 'c', regions: ['ap'], schedule: { type: 'cron', cron: '0 * * * *', tz: 'UTC' } }),
    ];
    expect(watchedRegions(probes)).toEqual([
      { region: 'eu', everyMs: 30 * S },
      { region: 'us', everyMs: 5 * MIN },
      { region: 'ap', everyMs: 60 * MIN },
    ]);
  });
});

describe('RegionWatch', () => {
  it('opens after the limit from the first tick, then resolves on the first fresh result', () => {
    const w = new RegionWatch();
    const probes = [spec({ regions: ['eu'] })];
    const at = (ms: number) => w.step(T + ms, probes, new Map(), policy, true);
    expect(at(0).events).toEqual([]);
    expect(at(LIMIT).events).toEqual([]);
    expect(at(LIMIT + 1).events.map((e) => e.key)).toEqual([WATCHDOG_ALL]);
    w.observe([{ region: 'eu', slotAt: T + LIMIT }]);
    const back = w.step(T + LIMIT + 2 * S, probes, new Map([[WATCHDOG_ALL, T + LIMIT + 1]]), policy, true);
    expect(brief(back)).toEqual(['resolved watchdog']);
    expect(back.fresh).toBe(true);
  });

  it('forgets a region when no probe runs there, so adding it back starts the watch again', () => {
    const w = new RegionWatch();
    const eu = [spec({ regions: ['eu'] })];
    w.step(T, eu, new Map(), policy, true);
    w.step(T + MIN, [], new Map(), policy, true);
    expect(w.step(T + 10 * MIN, eu, new Map(), policy, true).events).toEqual([]);
  });
});

describe('a silence on a region', () => {
  it('holds back the watchdog alert of that region, not of another or of the whole pipeline', () => {
    const silence = { target: 'eu', startsAt: new Date(T - MIN), endsAt: new Date(T + MIN) };
    const row = (key: string) => ({ id: 'inc_1', key, provider: null, service: null, probeId: null });
    expect(isSilenced([silence], row(watchdogKey('eu')), T)).toBe(true);
    expect(isSilenced([silence], row(watchdogKey('us')), T)).toBe(false);
    expect(isSilenced([silence], row(WATCHDOG_ALL), T)).toBe(false);
  });
});
