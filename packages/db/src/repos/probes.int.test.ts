import { describe, expect } from 'vitest';
import { sql } from 'drizzle-orm';
import type { ProbeSpec } from '@vigil/core';
import { rowsOf } from '../sql.js';
import { DRIVERS, onDriver, repoTest as it } from '../testing/drivers.js';
import { getProbes, listProbes, retireProbes, upsertProbes } from './probes.js';

const T0 = new Date('2025-03-01T10:00:00.000Z');
const T1 = new Date('2025-03-01T11:00:00.000Z');
const T2 = new Date('2025-03-01T12:00:00.000Z');

function spec(id: string, over: Partial<ProbeSpec> = {}): ProbeSpec {
  return {
    id,
    name: `probe ${id}`,
    provider: 'stripe',
    service: 'payments',
    critical: true,
    schedule: { type: 'interval', everyMs: 30_000 },
    timeoutMs: 5_000,
    regions: ['eu-west', 'us-east'],
    sloTarget: 0.98,
    labels: { team: 'pay' },
    runbook: null,
    kind: 'http',
    spec: {
      url: 'https://api.stripe.com/v1/balance',
      headers: { authorization: 'Bearer ${env:STRIPE_KEY}' },
    },
    expect: { status: [200] },
    source: { file: 'probes/payments.yaml', line: 3, col: 5 },
    ...over,
  };
}

describe.each(DRIVERS)('probes repository on %s', (kind) => {
  onDriver(kind, ['probes']);

  it('sorts probes into added, changed and unchanged by hash', async ({ t }) => {
    await upsertProbes(
      t.h.db,
      [
        { spec: spec('a'), hash: 'h1' },
        { spec: spec('b'), hash: 'h1' },
      ],
      T0,
    );
    const res = await upsertProbes(
      t.h.db,
      [
        { spec: spec('a'), hash: 'h1' },
        { spec: spec('b', { name: 'renamed' }), hash: 'h2' },
        { spec: spec('c'), hash: 'h1' },
      ],
      T1,
    );
    expect(res).toEqual({ added: ['c'], changed: ['b'], unchanged: ['a'] });
    const [a, b] = await getProbes(t.h.db, ['a', 'b']);
    expect(a).toMatchObject({ createdAt: T0, updatedAt: T0 });
    expect(b).toMatchObject({ hash: 'h2', createdAt: T0, updatedAt: T1, spec: { name: 'renamed' } });
  });

  it('stores the spec exactly as given, with env references unresolved', async ({ t }) => {
    const s = spec('ref');
    await upsertProbes(t.h.db, [{ spec: s, hash: 'h' }], T0);
    const [stored] = await getProbes(t.h.db, ['ref']);
    expect(stored).toEqual({
      id: 'ref',
      hash: 'h',
      spec: s,
      provider: 'stripe',
      service: 'payments',
      createdAt: T0,
      updatedAt: T0,
      retiredAt: null,
    });
    const raw = await rowsOf<{ auth: string }>(
      t.h.db,
      sql`select spec->'spec'->'headers'->>'authorization' as auth from probes where id = 'ref'`,
    );
    expect(raw[0]?.auth).toBe('Bearer ${env:STRIPE_KEY}');
  });

  it('retires the probes that are no longer deployed, keeps them listed on request, and revives them', async ({
    t,
  }) => {
    await upsertProbes(
      t.h.db,
      ['a', 'b', 'c'].map((id) => ({ spec: spec(id), hash: 'h' })),
      T0,
    );
    expect(await retireProbes(t.h.db, ['b'], T1)).toEqual(['a', 'c']);
    expect(await retireProbes(t.h.db, ['b'], T2)).toEqual([]);
    expect((await listProbes(t.h.db)).map((p) => p.id)).toEqual(['b']);
    const all = await listProbes(t.h.db, { includeRetired: true });
    expect(all.map((p) => [p.id, p.retiredAt])).toEqual([
      ['a', T1],
      ['b', null],
      ['c', T1],
    ]);
    expect(await upsertProbes(t.h.db, [{ spec: spec('a'), hash: 'h' }], T2)).toEqual({
      added: ['a'],
      changed: [],
      unchanged: [],
    });
    expect((await listProbes(t.h.db)).map((p) => p.id)).toEqual(['a', 'b']);
  });

  it('retires every live probe when nothing is kept', async ({ t }) => {
    await upsertProbes(t.h.db, [{ spec: spec('a'), hash: 'h' }], T0);
    expect(await retireProbes(t.h.db, [], T1)).toEqual(['a']);
  });

  it('upserts and reads back 10,000 probes', async ({ t }) => {
    const many = Array.from({ length: 10_000 }, (_, i) => ({ spec: spec(`p${i}`), hash: 'h' }));
    expect((await upsertProbes(t.h.db, many, T0)).added).toHaveLength(10_000);
    expect((await upsertProbes(t.h.db, many, T1)).unchanged).toHaveLength(10_000);
    expect(
      await getProbes(
        t.h.db,
        many.map((p) => p.spec.id),
      ),
    ).toHaveLength(10_000);
    expect(
      await retireProbes(
        t.h.db,
        many.slice(1).map((p) => p.spec.id),
        T1,
      ),
    ).toEqual(['p0']);
  });

  it('returns nothing for no ids', async ({ t }) => {
    expect(await getProbes(t.h.db, [])).toEqual([]);
    expect(await upsertProbes(t.h.db, [], T0)).toEqual({ added: [], changed: [], unchanged: [] });
  });
});
