import type { ProbeSpec } from '@vigil/core';
import { describe, expect, it } from 'vitest';
import { probeHash } from './hash.js';

const probe: ProbeSpec = {
  id: 'stripe-balance',
  name: 'Stripe balance',
  provider: 'stripe',
  service: 'payments',
  critical: true,
  schedule: { type: 'interval', everyMs: 30_000 },
  timeoutMs: 10_000,
  regions: ['eu-west'],
  sloTarget: 0.98,
  labels: { team: 'checkout' },
  runbook: null,
  kind: 'http',
  spec: { url: 'https://api.stripe.com/v1/balance', headers: { a: '1', b: '2' } },
  expect: { status: 200 },
  source: { file: 'probes/payments.yaml', line: 3, col: 5 },
};

describe('probeHash', () => {
  it('is the same for the same probe written in another key order or place in its file', () => {
    const moved: ProbeSpec = {
      ...probe,
      spec: { headers: { b: '2', a: '1' }, url: 'https://api.stripe.com/v1/balance' },
      source: { file: 'probes/other.yaml', line: 40, col: 5 },
    };
    expect(probeHash(moved)).toBe(probeHash(probe));
    expect(probeHash(probe)).toMatch(/^[0-9a-f]{16}$/);
  });

  it.each([
    ['timeout', { timeoutMs: 5_000 }],
    ['regions', { regions: ['eu-west', 'us-east'] }],
    ['schedule', { schedule: { type: 'interval', everyMs: 60_000 } }],
    ['spec', { spec: { url: 'https://api.stripe.com/v1/charges' } }],
    ['expect', { expect: { status: 201 } }],
    ['labels', { labels: {} }],
  ] as [string, Partial<ProbeSpec>][])('changes when the %s changes', (_what, change) => {
    expect(probeHash({ ...probe, ...change })).not.toBe(probeHash(probe));
  });
});
