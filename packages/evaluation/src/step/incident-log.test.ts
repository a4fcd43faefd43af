import { describe, expect, it } from 'vitest';
import type { Incident, IncidentEvent, IncidentState } from '@vigil/core';
import { applyEvents, type ApplyContext } from './incident-log.js';

const T = Date.parse('2025-03-03T10:00:00Z');

function ctx(over: Partial<ApplyContext> = {}): ApplyContext {
  let n = 0;
  return {
    now: T,
    newId: () => `inc_${++n}`,
    meta: (e) => ({
      title: e.key,
      severity: 'page',
      provider: 'stripe',
      service: 'payments',
      probeId: null,
      detail: {},
    }),
    track: () => undefined,
    silenced: () => false,
    ...over,
  };
}

const ev = (type: IncidentEvent['type'], at: number, over: Partial<IncidentEvent> = {}): IncidentEvent => ({
  type,
  scope: 'provider',
  key: 'stripe',
  kind: 'down',
  at,
  openedAt: T,
  ...over,
});

describe('incident rows from events', () => {
  it('opens a row and notifies, then resolves the same row and notifies again', () => {
    const open = new Map<string, Incident>();
    const a = applyEvents(open, [ev('opened', T)], ctx());
    expect(a.inserts).toMatchObject([
      { id: 'inc_1', openedAt: new Date(T), resolvedAt: null, silent: false },
    ]);
    expect(a.notifications.map((n) => n.kind)).toEqual(['opened']);
    const b = applyEvents(open, [ev('resolved', T + 60_000)], ctx());
    expect(b.inserts).toEqual([]);
    expect([...b.updates.values()]).toMatchObject([{ id: 'inc_1', resolvedAt: new Date(T + 60_000) }]);
    expect(b.notifications.map((n) => `${n.kind}:${n.incident.id}`)).toEqual(['resolved:inc_1']);
    expect(open.size).toBe(0);
  });

  it('inserts an incident that opens and resolves within one tick in its final form', () => {
    const open = new Map<string, Incident>();
    const r = applyEvents(open, [ev('opened', T), ev('resolved', T + 60_000)], ctx());
    expect(r.inserts).toMatchObject([{ resolvedAt: new Date(T + 60_000) }]);
    expect(r.updates.size).toBe(0);
  });

  it('records a grouped incident silently with its parent, and never notifies about it', () => {
    const open = new Map<string, Incident>();
    applyEvents(open, [ev('opened', T)], ctx());
    const probe = { scope: 'probe' as const, key: 'stripe-balance', parent: 'stripe', silent: true };
    const r = applyEvents(
      open,
      [ev('attached', T, probe), ev('resolved', T + 1, probe)],
      ctx({ newId: () => 'inc_p' }),
    );
    expect(r.inserts).toMatchObject([{ id: 'inc_p', parentId: 'inc_1', silent: true }]);
    expect(r.notifications).toEqual([]);
  });

  it('sends one flapping and one settled message, and closes an incident that settled closed', () => {
    const open = new Map<string, Incident>();
    const closed = { open: false, notifiedOpen: false } as IncidentState;
    const r = applyEvents(open, [ev('flapping_started', T)], ctx());
    expect(r.notifications.map((n) => n.kind)).toEqual(['flapping']);
    expect(r.inserts[0]).toMatchObject({ flapping: true, resolvedAt: null });
    const s = applyEvents(open, [ev('flapping_stopped', T + 60_000)], ctx({ track: () => closed }));
    expect(s.notifications.map((n) => n.kind)).toEqual(['settled']);
    expect([...s.updates.values()]).toMatchObject([{ flapping: false, resolvedAt: new Date(T + 60_000) }]);
  });

  it('records but holds back what a silence covers', () => {
    const r = applyEvents(new Map(), [ev('opened', T)], ctx({ silenced: () => true }));
    expect(r.inserts).toHaveLength(1);
    expect(r.notifications).toEqual([]);
  });
});
