import type { ProbeResult } from '@vigil/core';
import { describe, expect, it } from 'vitest';
import { result, spec } from '../../testing/harness.js';
import { probePage, type ProbePageModel } from './probe.js';

const T0 = Date.parse('2025-03-03T10:00:00Z');
const p = spec({ id: 'paypal-orders', provider: 'paypal' });
const phases = (ttfbMs: number) => ({
  dnsMs: 1.5,
  connectMs: 2.5,
  tlsMs: 7.5,
  ttfbMs,
  transferMs: 0.5,
  totalMs: ttfbMs + 12,
});

function page(results: ProbeResult[]): string {
  const m: ProbePageModel = {
    spec: p,
    probe: {
      id: p.id,
      name: p.name,
      service: p.service,
      provider: p.provider,
      regions: p.regions,
      state: 'down',
      failingRegions: [],
      errorClass: null,
      lastError: null,
      latencyMs: null,
      lastAt: null,
      openIncidentId: null,
    },
    range: '1h',
    results,
    incidents: [],
    silences: [],
    now: T0,
  };
  return probePage({ token: null, flash: null, canWrite: false }, m).value;
}

describe('the probe page', () => {
  it("lists a multi-step result's steps with their phases and marks the first failing one", () => {
    const r: ProbeResult = {
      ...result(p, 'eu', T0, 'down'),
      httpStatus: 401,
      errorClass: 'auth',
      message: 'step "orders": credentials rejected',
      steps: [
        { name: 'token', outcome: 'up', httpStatus: 200, errorClass: null, phases: phases(40) },
        { name: 'orders', outcome: 'down', httpStatus: 401, errorClass: 'auth', phases: phases(90) },
      ],
    };
    const html = page([r]);
    const rows = html.match(/<tr class="step"[\s\S]*?<\/tr>/g) ?? [];
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain('data-step="token"');
    expect(rows[0]).not.toContain('data-failed-step');
    expect(rows[0]).toContain('<td class="num">40 ms</td>');
    expect(rows[1]).toContain('data-step="orders" data-failed-step');
    expect(rows[1]).toContain('failed here');
    expect(rows[1]).toContain('<td>401</td><td class="err">auth</td>');
    // every step row has as many cells as the header
    for (const row of rows) {
      const cells = [...row.matchAll(/<td(?: colspan="(\d)")?/g)].reduce((n, c) => n + Number(c[1] ?? 1), 0);
      expect(cells).toBe(11);
    }
  });

  it('says why a rate_limited slot was not sent', () => {
    const notSent = (slotAt: number, reason: 'deferred' | 'budget'): ProbeResult => ({
      ...result(p, 'eu', slotAt, 'rate_limited'),
      httpStatus: null,
      errorClass: 'rate_limited',
      notSent: reason,
    });
    const html = page([notSent(T0, 'deferred'), notSent(T0 + 60_000, 'budget')]);
    expect(html).toContain('not sent (Retry-After)');
    expect(html).toContain('not sent (out of budget)');
    expect(html).not.toContain('<tr class="step"');
  });
});
