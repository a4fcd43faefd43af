import { describe, expect, it } from 'vitest';
import type { Incident } from '@vigil/core';
import type { DeclarationChange } from '../reads/declarations.js';
import { declarationNotices } from './notices.js';

const T = Date.parse('2025-03-04T10:00:00Z');
const incident = (id: string, over: Partial<Incident>): Incident => ({
  id,
  scope: 'probe',
  key: id,
  kind: 'down',
  severity: 'page',
  title: id,
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
});
const change = (over: Partial<DeclarationChange> = {}): DeclarationChange => ({
  provider: 'stripe',
  change: 'started',
  at: T + 5 * 60_000,
  key: 'incident:sp1',
  item: {
    kind: 'incident',
    title: 'Elevated API error rates',
    impact: 'major',
    status: 'investigating',
    since: T + 4 * 60_000,
    lastUpdateAt: null,
    endedAt: null,
    url: null,
  },
  ...over,
});

describe('declarationNotices', () => {
  it('one notice per change, to the widest open incident of the provider', () => {
    const open = [
      incident('stripe-balance', {}),
      incident('stripe-charges', {}),
      incident('stripe', { scope: 'provider', openedAt: new Date(T + 60_000) }),
      incident('paypal', { scope: 'provider', provider: 'paypal' }),
    ];
    const out = declarationNotices(open, new Set(), [
      change(),
      change({ change: 'ended', at: T + 9 * 60_000 }),
    ]);
    expect(out.map((n) => [n.notification.incident.id, n.notification.kind, n.eventKey])).toEqual([
      ['stripe', 'declaration', 'declaration:started:incident:sp1'],
      ['stripe', 'declaration', 'declaration:ended:incident:sp1'],
    ]);
    expect(out[0]!.notification.event.at).toBe(T + 5 * 60_000);
  });

  it('none to a silent incident, one opened this tick (its opening alert says it), or one opened after the change', () => {
    expect(
      declarationNotices(
        [
          incident('a', { silent: true }),
          incident('b', {}),
          incident('c', { openedAt: new Date(T + 6 * 60_000) }),
        ],
        new Set(['b']),
        [change()],
      ),
    ).toEqual([]);
  });
});
