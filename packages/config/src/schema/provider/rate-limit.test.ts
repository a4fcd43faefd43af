import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ProbeSpec } from '@vigil/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../diagnostics.js';
import { loadConfig } from '../../load.js';
import { testKinds } from '../../testing/kinds.js';
import { providerOf } from '../providers.js';
import { plannedRequests, requestsPerRun, runsPerWindow } from './rate-limit.js';

const MIN = 60_000;
const HOUR = 3_600_000;
let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'vigil-rate-limit-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const probe = (id: string, provider: string, every: string, regions: string[]) =>
  `  - { id: ${id}, name: ${id}, provider: ${provider}, service: pay, interval: ${every}, regions: [${regions.join(', ')}], http: { url: "https://${provider}.example/${id}" } }\n`;

async function load(vigil: string, probes: string) {
  await writeFile(path.join(root, 'vigil.yaml'), vigil);
  await mkdir(path.join(root, 'probes'), { recursive: true });
  await writeFile(path.join(root, 'probes', 'p.yaml'), `probes:\n${probes}`);
  const r = await loadConfig({ root, kinds: testKinds });
  return { config: r.config, lines: r.diagnostics.map(formatDiagnostic) };
}

const REGIONS = 'regions: [eu, us, ap]\n';

describe('providers.<name>.rateLimit', () => {
  it('reads requests and a duration window (milliseconds once parsed)', async () => {
    const { config, lines } = await load(
      `${REGIONS}providers:\n  stripe:\n    rateLimit: { requests: 1000, per: 1h }\n`,
      probe('stripe-balance', 'stripe', '1m', ['eu']),
    );
    expect(lines).toEqual([]);
    expect(providerOf(config!, 'stripe').rateLimit).toEqual({ requests: 1000, per: HOUR });
    expect(providerOf(config!, 'paypal').rateLimit).toBeUndefined();
  });

  it.each([
    ['no window', 'rateLimit: { requests: 10 }', 'providers.stripe.rateLimit.per: required'],
    [
      'a window under a second',
      'rateLimit: { requests: 10, per: 500ms }',
      'providers.stripe.rateLimit.per: expected at least 1s, got "500ms"',
    ],
    ['zero requests', 'rateLimit: { requests: 0, per: 1m }', 'providers.stripe.rateLimit.requests'],
    ['an unknown key', 'rateLimit: { requests: 5, per: 1m, burst: 2 }', 'unknown key "burst"'],
  ])('rejects %s at its place', async (_n, yaml, part) => {
    const { config, lines } = await load(
      `${REGIONS}providers:\n  stripe:\n    ${yaml}\n`,
      probe('stripe-balance', 'stripe', '1m', ['eu']),
    );
    expect(config).toBeNull();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(part);
    expect(lines[0]).toMatch(/^vigil\.yaml:4:/);
  });

  it('warns, at the budget, when the planned runs × regions exceed it (10/min over 3 regions)', async () => {
    // 2 probes every 30s in 3 regions: 2 × 2 × 3 = 12 requests a minute against 10
    const { config, lines } = await load(
      `${REGIONS}providers:\n  stripe:\n    rateLimit: { requests: 10, per: 1m }\n`,
      probe('a', 'stripe', '30s', ['eu', 'us', 'ap']) +
        probe('b', 'stripe', '30s', ['eu', 'us', 'ap']) +
        probe('c', 'paypal', '15s', ['eu', 'us', 'ap']),
    );
    expect(lines).toEqual([
      'vigil.yaml:4:5 providers.stripe.rateLimit: warning: the probes of provider "stripe" plan 12 requests per 1m (runs × regions), over its budget of 10 per 1m: the slots beyond it are recorded rate_limited, not measured',
    ]);
    expect(config).not.toBeNull();
  });

  it('says nothing when the probes fit the budget exactly', async () => {
    const { lines } = await load(
      `${REGIONS}providers:\n  stripe:\n    rateLimit: { requests: 12, per: 1m }\n`,
      probe('a', 'stripe', '30s', ['eu', 'us', 'ap']) + probe('b', 'stripe', '30s', ['eu', 'us', 'ap']),
    );
    expect(lines).toEqual([]);
  });
});

describe('runsPerWindow', () => {
  const spec = (schedule: ProbeSpec['schedule'], kind = 'http') =>
    ({ id: 'p', kind, provider: 'x', regions: ['eu', 'us'], schedule }) as ProbeSpec;

  it.each([
    ['an interval dividing the window', { type: 'interval', everyMs: MIN } as const, HOUR, 60],
    [
      'an interval that does not divide it (the busiest window)',
      { type: 'interval', everyMs: 7 * MIN } as const,
      HOUR,
      9,
    ],
    ['a cron every 5 minutes', { type: 'cron', cron: '*/5 * * * *', tz: 'UTC' } as const, HOUR, 12],
    [
      'a cron bursting in business hours',
      { type: 'cron', cron: '* 9 * * *', tz: 'UTC' } as const,
      2 * HOUR,
      60,
    ],
  ])('counts %s', (_n, schedule, per, runs) => {
    expect(runsPerWindow(spec(schedule), per)).toBe(runs);
  });

  it('counts nothing for a push probe, and multiplies by regions', () => {
    expect(runsPerWindow(spec({ type: 'interval', everyMs: MIN }, 'heartbeat'), HOUR)).toBe(0);
    expect(plannedRequests([spec({ type: 'interval', everyMs: MIN })], 'x', HOUR)).toBe(120);
    expect(plannedRequests([spec({ type: 'interval', everyMs: MIN })], 'y', HOUR)).toBe(0);
  });

  it('counts each step of a multi-step probe as a request', () => {
    const flow = { ...spec({ type: 'interval', everyMs: MIN }), spec: { steps: [{}, {}] } } as ProbeSpec;
    expect(requestsPerRun(flow)).toBe(2);
    expect(requestsPerRun(spec({ type: 'interval', everyMs: MIN }))).toBe(1);
    expect(plannedRequests([flow], 'x', HOUR)).toBe(240);
  });
});
