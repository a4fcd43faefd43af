import { describe, expect, it } from 'vitest';
import { correlateIncident, type DeclarationRecord } from './declarations.js';

const T = Date.parse('2025-03-04T10:00:00Z');
const MIN = 60_000;
const decl = (over: Partial<DeclarationRecord>): DeclarationRecord => ({
  provider: 'stripe',
  key: 'incident:sp1',
  kind: 'incident',
  title: 'Elevated API error rates',
  impact: 'major',
  status: 'resolved',
  since: T + 4 * MIN,
  lastUpdateAt: null,
  endedAt: T + 30 * MIN,
  url: null,
  firstSeenAt: T + 5 * MIN,
  endedSeenAt: T + 31 * MIN,
  ...over,
});

describe('correlateIncident', () => {
  it('says the provider declared our incident, and how long after our start', () => {
    const c = correlateIncident(
      { provider: 'stripe', openedAt: T + 2 * MIN, resolvedAt: T + 20 * MIN },
      [
        decl({}),
        decl({ key: 'maintenance:m', kind: 'maintenance', since: T }),
        decl({ key: 'incident:paypal', provider: 'paypal', since: T }),
      ],
      T + 60 * MIN,
    );
    expect(c).toMatchObject({ declared: true, declaredAfterMs: 2 * MIN });
    expect(c.declarations.map((d) => d.key)).toEqual(['incident:sp1']);
  });

  it('undeclared when nothing of the provider overlaps; a still-open declaration counts until now', () => {
    expect(
      correlateIncident(
        { provider: 'stripe', openedAt: T + 40 * MIN, resolvedAt: T + 45 * MIN },
        [decl({})],
        T + 60 * MIN,
      ),
    ).toEqual({ declared: false, declaredAfterMs: null, declarations: [] });
    const open = decl({ endedAt: null, endedSeenAt: null, since: T + 50 * MIN });
    expect(
      correlateIncident(
        { provider: 'stripe', openedAt: T + 55 * MIN, resolvedAt: null },
        [open],
        T + 60 * MIN,
      ).declaredAfterMs,
    ).toBe(-5 * MIN);
  });
});
