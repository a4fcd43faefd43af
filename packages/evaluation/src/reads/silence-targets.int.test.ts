import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Incident } from '@vigil/core';
import { insertIncidents, migrate, openDb, type DbHandle } from '@vigil/db';
import { config, spec } from '../testing/builders.js';
import { isSilenceTarget, silenceTargets } from './silence-targets.js';

let h: DbHandle;
beforeEach(async () => {
  h = await openDb({ dataDir: 'memory://' });
  await migrate(h);
});
afterEach(() => h.close());

const cfg = config(
  [
    spec({ id: 'twilio-sms', provider: 'twilio', service: 'messaging' }),
    spec({ id: 'stripe-balance', provider: 'stripe', service: 'payments' }),
    spec({ id: 'stripe-charge', provider: 'stripe', service: 'payments' }),
  ],
  { regions: ['us-east', 'eu-west'] },
);

const incident = (id: string, resolvedAt: Date | null): Incident => {
  const at = new Date('2025-03-03T10:00:00Z');
  return {
    id,
    scope: 'probe',
    key: 'twilio-sms',
    kind: 'down',
    severity: 'page',
    title: 'Twilio is down',
    provider: 'twilio',
    service: 'messaging',
    probeId: 'twilio-sms',
    openedAt: at,
    resolvedAt,
    parentId: null,
    silent: false,
    flapping: false,
    detail: {},
    updatedAt: at,
    acknowledgedAt: null,
    acknowledgedBy: null,
    acknowledgeNote: null,
  };
};

it('lists the config names a silence may target: sorted, no repeats, regions in config order', () => {
  const declared = { ...cfg, services: { search: { providers: ['algolia'], mode: 'any' as const } } };
  expect(silenceTargets(declared)).toEqual({
    probes: ['stripe-balance', 'stripe-charge', 'twilio-sms'],
    providers: ['stripe', 'twilio'],
    services: ['messaging', 'payments', 'search'],
    regions: ['us-east', 'eu-west'],
  });
});

it('accepts a config name or an open incident id, nothing else', async () => {
  await insertIncidents(h.db, [
    incident('inc_open', null),
    incident('inc_done', new Date('2025-03-03T11:00:00Z')),
  ]);
  for (const t of ['twilio-sms', 'stripe', 'payments', 'eu-west', 'inc_open'])
    expect(await isSilenceTarget(h.db, cfg, t)).toBe(true);
  for (const t of ['inc_done', 'inc_nope', 'stripe-balanse', 'Stripe', ''])
    expect(await isSilenceTarget(h.db, cfg, t)).toBe(false);
});
