import { describe, expect, it } from 'vitest';
import { declarationText, providerDeclarations } from './declared.js';
import type { ReportDeclaration, ReportIncident } from './types.js';

const T = Date.parse('2026-11-16T00:00:00Z');
const MIN = 60_000;
const inc = (o: Partial<ReportIncident>): ReportIncident => ({
  id: 'i',
  scope: 'provider',
  key: 'stripe',
  kind: 'down',
  openedAt: T,
  resolvedAt: T + 60 * MIN,
  title: 'stripe down',
  ...o,
});
const decl = (o: Partial<ReportDeclaration>): ReportDeclaration => ({
  provider: 'stripe',
  kind: 'incident',
  title: 'Elevated API error rates',
  impact: 'major',
  since: T,
  endedAt: T + 60 * MIN,
  ...o,
});
const week = { from: T, to: T + 7 * 24 * 60 * MIN };
const stripe = [{ provider: 'stripe', name: 'Stripe' }];

describe('providerDeclarations', () => {
  it('splits our downtime into declared and undeclared, with how long after us the provider declared', () => {
    const [r] = providerDeclarations(
      stripe,
      [
        // 60 min down, the provider declared 12 min in and ended with us: 48 min declared
        inc({ id: 'a', declaredAfterMs: 12 * MIN }),
        // 30 min down, undeclared
        inc({ id: 'b', openedAt: T + 120 * MIN, resolvedAt: T + 150 * MIN, declaredAfterMs: null }),
        // 20 min down, declared 4 min before we saw it
        inc({ id: 'c', openedAt: T + 300 * MIN, resolvedAt: T + 320 * MIN, declaredAfterMs: -4 * MIN }),
        // another provider's and a probe's incident do not count
        inc({ id: 'd', key: 'paypal' }),
        inc({ id: 'e', scope: 'probe', key: 'stripe-balance' }),
      ],
      [
        decl({ since: T + 12 * MIN }),
        decl({ since: T + 296 * MIN, endedAt: T + 330 * MIN }),
        // a maintenance of 90 min, and an incident of theirs we never measured
        decl({ kind: 'maintenance', impact: 'maintenance', since: T + 600 * MIN, endedAt: T + 690 * MIN }),
        decl({ since: T + 900 * MIN, endedAt: T + 910 * MIN }),
      ],
      week,
    );
    expect(r).toEqual({
      provider: 'stripe',
      name: 'Stripe',
      incidents: 3,
      declaredIncidents: 2,
      downMs: 110 * MIN,
      declaredMs: 68 * MIN,
      undeclaredMs: 42 * MIN,
      declaredAfterMs: { median: 4 * MIN, max: 12 * MIN },
      providerIncidents: 3,
      maintenanceMs: 90 * MIN,
    });
  });

  it('clips to the window: an open incident and an open declaration last to its end', () => {
    const w = { from: T, to: T + 100 * MIN };
    const [r] = providerDeclarations(
      stripe,
      [inc({ openedAt: T - 30 * MIN, resolvedAt: null, declaredAfterMs: 50 * MIN })],
      [decl({ since: T + 20 * MIN, endedAt: null })],
      w,
    );
    expect(r).toMatchObject({ downMs: 100 * MIN, declaredMs: 80 * MIN, undeclaredMs: 20 * MIN });
    expect(r!.declaredAfterMs).toEqual({ median: 50 * MIN, max: 50 * MIN });
  });

  it('a provider that never went down has no figures to set beside', () => {
    expect(providerDeclarations(stripe, [], [], week)[0]).toMatchObject({
      incidents: 0,
      downMs: 0,
      declaredAfterMs: null,
    });
  });

  it('says it in one line: the split, how long after our detection, what the status page said', () => {
    const base = {
      provider: 'stripe',
      name: 'Stripe',
      incidents: 3,
      declaredIncidents: 2,
      downMs: 110 * MIN,
      declaredMs: 68 * MIN,
      undeclaredMs: 42 * MIN,
      declaredAfterMs: { median: 4 * MIN, max: 12 * MIN },
      providerIncidents: 3,
      maintenanceMs: 90 * MIN,
    };
    expect(declarationText(base)).toBe(
      'down 1 h 50 min by our measure: 1 h 08 min declared, 42 min undeclared; 2 of 3 incidents declared, ' +
        'median 4 min after our detection (longest 12 min after our detection); status page: 3 incidents, 1 h 30 min maintenance',
    );
    expect(
      declarationText({
        ...base,
        declaredAfterMs: { median: -3 * MIN, max: 20_000 },
        providerIncidents: 1,
        maintenanceMs: 0,
      }),
    ).toContain('median 3 min before our detection (longest within a minute); status page: 1 incident');
    expect(
      declarationText({
        ...base,
        incidents: 0,
        declaredIncidents: 0,
        downMs: 0,
        declaredMs: 0,
        undeclaredMs: 0,
        declaredAfterMs: null,
        providerIncidents: 0,
        maintenanceMs: 0,
      }),
    ).toBe('no downtime by our measure; status page: nothing declared');
  });
});
