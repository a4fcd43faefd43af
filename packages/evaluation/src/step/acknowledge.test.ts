import { describe, expect, it } from 'vitest';
import type { Incident, IncidentEvent } from '@vigil/core';
import { buildAlert } from './alert.js';
import { applyEvents, type Acknowledgement, type ApplyContext } from './incident-log.js';

const T = Date.parse('2025-03-03T10:00:00Z');
const ACK: Acknowledgement = {
  acknowledgedAt: new Date(T + 60_000),
  acknowledgedBy: 'alice',
  acknowledgeNote: 'looking at it',
};

function openRow(over: Partial<Incident> = {}): Incident {
  return {
    id: 'inc_1',
    scope: 'provider',
    key: 'stripe',
    kind: 'down',
    severity: 'page',
    title: 'stripe down',
    provider: 'stripe',
    service: 'payments',
    probeId: null,
    openedAt: new Date(T),
    resolvedAt: null,
    parentId: null,
    silent: false,
    flapping: false,
    detail: {},
    updatedAt: new Date(T),
    acknowledgedAt: null,
    acknowledgedBy: null,
    acknowledgeNote: null,
    ...over,
  };
}

function ctx(acks: Map<string, Acknowledgement>): ApplyContext {
  return {
    now: T + 3 * 3_600_000,
    newId: () => 'inc_new',
    meta: (e) => ({
      title: e.key,
      severity: 'page',
      provider: 'stripe',
      service: null,
      probeId: null,
      detail: {},
    }),
    track: () => undefined,
    silenced: () => false,
    acknowledgement: (row) => acks.get(row.id),
  };
}

const ev = (type: IncidentEvent['type']): IncidentEvent => ({
  type,
  scope: 'provider',
  key: 'stripe',
  kind: 'down',
  at: T + 3 * 3_600_000,
  openedAt: T,
});

const figures = { availability24h: 0.9, availability30d: 0.99, budgetLeft: 0.5, target: 0.98 };
const subject = {
  probeName: null,
  failingRegions: ['eu'],
  errorClass: 'http_status',
  lastError: null,
  failover: null,
  runbook: null,
  publicUrl: null,
};

describe('an acknowledged incident', () => {
  it.each([
    // event, acknowledged (in the store), what is notified, who the alert names
    ['reminder', false, ['reminder'], [null]],
    ['reminder', true, [], []],
    ['resolved', false, ['resolved'], [null]],
    ['resolved', true, ['resolved'], ['alice']],
    ['flapping_started', true, ['flapping'], ['alice']],
  ] as const)('%s, acknowledged %s: notifies %j naming %j', (type, acked, kinds, by) => {
    const open = new Map([['provider:stripe:down', openRow()]]);
    const acks = new Map(acked ? [['inc_1', ACK]] : []);
    const r = applyEvents(open, [ev(type)], ctx(acks));
    expect(r.notifications.map((n) => n.kind)).toEqual(kinds);
    expect(r.notifications.map((n) => buildAlert('o1', n, figures, subject).acknowledgedBy)).toEqual(by);
    // the row carries the acknowledgement forward (the shell's update leaves the stored columns alone)
    const row = r.updates.get('inc_1');
    expect(row?.acknowledgedBy ?? null).toBe(acked ? 'alice' : null);
  });

  it('keeps its reminders stopped on every later tick, and a new incident starts unacknowledged', () => {
    const open = new Map([['provider:stripe:down', openRow()]]);
    const acks = new Map([['inc_1', ACK]]);
    for (let i = 0; i < 3; i++)
      expect(applyEvents(open, [ev('reminder')], ctx(acks)).notifications).toEqual([]);
    const fresh = applyEvents(new Map(), [ev('opened')], ctx(acks));
    expect(fresh.inserts).toMatchObject([{ id: 'inc_new', acknowledgedAt: null, acknowledgedBy: null }]);
    expect(fresh.notifications.map((n) => n.kind)).toEqual(['opened']);
  });
});
