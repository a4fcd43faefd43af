import { describe, expect, it } from 'vitest';
import {
  DEFAULT_INCIDENT_POLICY,
  initialIncidentState,
  nextIncidentState,
  type IncidentEvent,
  type IncidentPolicy,
  type IncidentState,
} from './incidents.js';
import type { Verdict } from './verdict.js';

const MIN = 60_000;
const CODES: Record<string, Verdict> = {
  U: 'up',
  D: 'down',
  G: 'degraded',
  N: 'no_data',
  X: 'excluded',
  R: 'rate_limited',
};

/** Feeds one verdict a minute; returns every event as `type@minute` and the final state. */
function run(
  slots: string,
  policy: IncidentPolicy = DEFAULT_INCIDENT_POLICY,
  from = initialIncidentState('probe', 'stripe', 'down'),
) {
  let state: IncidentState = from;
  const events: IncidentEvent[] = [];
  [...slots].forEach((c, i) => {
    const next = nextIncidentState(state, CODES[c]!, policy, i * MIN);
    state = next.state;
    events.push(...next.events);
  });
  return { state, events, log: events.map((e) => `${e.type}@${e.at / MIN}`) };
}

describe('nextIncidentState', () => {
  it.each([
    ['opens after 3 failed slots in a row', 'UDDD', ['opened@3']],
    ['does not open on 2 failed slots', 'UDDUDDU', []],
    ['resolves after 2 up slots in a row', 'DDDUU', ['opened@2', 'resolved@4']],
    ['stays open on a single up slot', 'DDDUDU', ['opened@2']],
    ['counts degraded as up for a down track', 'DDDGG', ['opened@2', 'resolved@4']],
    ['skips no data, exclusions and 429s', 'DDNXRDUNU', ['opened@5', 'resolved@8']],
  ])('%s (%s)', (_name, slots, log) => {
    expect(run(slots).log).toEqual(log);
  });

  it.each([
    ['3 of 5 opens on scattered failures', 'DUDUD', ['opened@4']],
    ['3 of 5 ignores failures older than 5 slots', 'DDUUUUUUD', []],
    ['3 of 5 opens on 3 in a row too', 'UUDDD', ['opened@4']],
  ])('%s (%s)', (_name, slots, log) => {
    expect(run(slots, { ...DEFAULT_INCIDENT_POLICY, open: { m: 3, n: 5 } }).log).toEqual(log);
  });

  it('carries when the incident started (its first bad slot) on the resolve event', () => {
    const { events, state } = run('UDDDUU');
    expect(events[1]).toMatchObject({
      type: 'resolved',
      scope: 'probe',
      key: 'stripe',
      kind: 'down',
      openedAt: 1 * MIN,
      at: 5 * MIN,
    });
    expect(state).toMatchObject({ open: false, openedAt: null, notifiedOpen: false });
  });

  it('reminds while open at the configured interval', () => {
    const policy = { ...DEFAULT_INCIDENT_POLICY, reminderEveryMs: 5 * MIN };
    expect(run('DDDDDDDDDDDDUU', policy).log).toEqual([
      'opened@2',
      'reminder@7',
      'reminder@12',
      'resolved@13',
    ]);
  });

  it('holds notifications while flapping, says so once, and settles to the true state', () => {
    const { log, state } = run('DDDUUDDDUUDDDUUDDDUUDDDUU' + 'U'.repeat(21));
    expect(log).toEqual([
      'opened@2',
      'resolved@4',
      'opened@7',
      'resolved@9',
      'opened@12',
      'resolved@14',
      'flapping_started@15',
      'flapping_stopped@35',
    ]);
    expect(state).toMatchObject({ flapping: false, open: false, notifiedOpen: false });
  });

  it('announces an incident still open when flapping settles', () => {
    const { log, events } = run('DDDUUDDDUUDDDUU' + 'D'.repeat(21));
    expect(log.slice(-3)).toEqual(['flapping_started@15', 'flapping_stopped@28', 'opened@28']);
    // opened (unannounced) at 17 on slots 15-17: it started at 15
    expect(events.at(-1)!.openedAt).toBe(15 * MIN);
  });

  it.each([
    ['3 of 3: the first of the three', 'UUDDD', { m: 3, n: 3 }, 2, 4],
    ['3 of 5 scattered: the oldest bad slot of the five', 'DUDUD', { m: 3, n: 5 }, 0, 4],
    ['3 of 5: a bad slot older than the window does not count', 'DUUDUDD', { m: 3, n: 5 }, 3, 6],
    ['skipped slots in between are not the start', 'UNDNDD', { m: 3, n: 3 }, 2, 5],
    ['1 of 1: the slot itself', 'UUD', { m: 1, n: 1 }, 2, 2],
  ])(
    'starts an incident at its first bad slot, not when M of N is reached: %s (%s)',
    (_n, slots, open, start, at) => {
      const { events } = run(slots, { ...DEFAULT_INCIDENT_POLICY, open });
      expect(events.map((e) => [e.type, e.openedAt! / MIN, e.at / MIN])).toEqual([['opened', start, at]]);
    },
  );

  it('falls back to the opening slot for samples stored without times', () => {
    const stored = { ...run('UDD').state, times: undefined };
    const { events } = run('D', DEFAULT_INCIDENT_POLICY, stored);
    expect(events.map((e) => [e.type, e.openedAt, e.at])).toEqual([['opened', 0, 0]]);
  });

  it('keeps state for a skipped slot untouched', () => {
    const s = run('DD').state;
    expect(nextIncidentState(s, 'no_data', DEFAULT_INCIDENT_POLICY, 10 * MIN)).toEqual({
      state: s,
      events: [],
    });
  });

  it('takes explicit good/bad signals for degraded and SLO tracks', () => {
    let s = initialIncidentState('service', 'payments', 'slo_burn');
    const types: string[] = [];
    for (const signal of ['bad', 'bad', 'bad', 'good', 'good'] as const) {
      const next = nextIncidentState(s, signal, DEFAULT_INCIDENT_POLICY, 0);
      s = next.state;
      types.push(...next.events.map((e) => `${e.scope}:${e.kind}:${e.type}`));
    }
    expect(types).toEqual(['service:slo_burn:opened', 'service:slo_burn:resolved']);
  });
});
