import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @vigil/cli exports nothing yet; its composition root is what this test compares
import { startOneProcess, type OneProcess } from '../../apps/cli/src/one-process.js';
import type { ProbeResult } from '@vigil/core';
import { loadVigilConfig } from '@vigil/runtime';
import { hostileBehaviors } from '@vigil/testing';
import { describe, expect } from 'vitest';
import { silentLog, testDb, waitUntil } from './support/stack.js';
import { test } from './support/test.js';

const EVERY_MS = 5_000;

/** A config root with five probes on the simulator, one per outcome, every 5 s in regions eu and us. */
const it = test.extend<{ root: string }>({
  root: async ({ sim, defer }, use) => {
    const root = await mkdtemp(join(tmpdir(), 'vigil-modes-'));
    defer(() => rm(root, { recursive: true, force: true }));
    await mkdir(join(root, 'probes'));
    await writeFile(
      join(root, 'vigil.yaml'),
      'regions: [eu, us]\ndefaults:\n  interval: 5s\n  timeout: 1s\n  regions: [eu, us]\n',
    );
    // the 429 probe has a provider of its own: its Retry-After defers every probe of its provider
    const probe = (id: string, path: string, provider = 'sim') =>
      `  - id: ${id}\n    name: ${id}\n    provider: ${provider}\n    service: sim\n    http:\n      url: ${sim.httpUrl}${path}\n    expect:\n      status: 200\n`;
    await writeFile(
      join(root, 'probes', 'sim.yaml'),
      `probes:\n${probe('ok', '/ok')}${probe('down', '/down')}${probe('limited', '/limited', 'sim-limited')}${probe('hang', '/hang')}${probe('loop', '/loop')}`,
    );
    await use(root);
  },
});

describe('embedded and distributed modes', () => {
  it.override({
    routes: {
      '/ok': { behavior: { mode: 'ok', latencyMs: 10 } },
      '/down': { behavior: { mode: 'status', status: 503 } },
      '/limited': { behavior: { mode: 'rate_limited', retryAfterS: 30 } },
      '/hang': { behavior: hostileBehaviors.hang },
      '/loop': { behavior: hostileBehaviors.redirect_loop },
    },
  });

  it('store the same (probe, region, slot, outcome, error class, status) rows for the same slots', async ({
    root,
    db,
    redis,
    defer,
  }) => {
    const second = await testDb();
    defer(() => second.close());
    const dbs = [db, second];
    const running: OneProcess[] = [];
    defer(async () => {
      for (const p of running) await p.close();
    });
    const { config, diagnostics } = await loadVigilConfig({ root });
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const common = {
      root,
      config: config!,
      env: {},
      clock: { now: () => Date.now() },
      log: silentLog,
      watch: false,
    };
    running.push(await startOneProcess({ ...common, db: dbs[0]!.handle }));
    running.push(
      await startOneProcess({ ...common, db: dbs[1]!.handle, redisUrl: redis.url, prefix: redis.prefix }),
    );
    expect(running.map((p) => p.mode)).toEqual(['embedded', 'distributed']);

    // both modes run the same grid of slots; compare the two slots every probe has completed in both
    const from = Date.now() + 500;
    const to = from + 2 * EVERY_MS;
    const window = (rs: ProbeResult[]) => rs.filter((r) => r.slotAt >= from && r.slotAt < to);
    // a 429's Retry-After defers the next slots unsent (no status); which slot a process saw the 429 at
    // depends on when it started, so a rate_limited row is compared without its status
    const status = (r: ProbeResult) => (r.outcome === 'rate_limited' ? '429-or-deferred' : r.httpStatus);
    const key = (r: ProbeResult) =>
      [r.probeId, r.region, r.slotAt, r.outcome, r.errorClass, status(r)].join(' ');
    const [embedded, distributed] = await waitUntil(
      'two slots of every probe in both regions, in both modes',
      async () => {
        await running[0]!.flush();
        const sets = await Promise.all(dbs.map(async (d) => window(await d.rows())));
        return sets.every((s) => s.length === config!.probes.length * 2 * 2) && sets;
      },
      25_000,
      250,
    );

    expect(distributed!.map(key).sort()).toEqual(embedded!.map(key).sort());
    // a run the worker's own stall decided is marked `overloaded` (outcome kept) in either mode: on a
    // loaded machine that is the honest answer, so it stands for the class the probe would have had
    const told = embedded!.filter((r) => r.errorClass !== 'overloaded');
    const marked = embedded!.filter((r) => r.errorClass === 'overloaded');
    expect(marked.filter((r) => !/^Vigil overloaded: /.test(r.message ?? ''))).toEqual([]);
    const want = new Map([
      ['ok', 'ok up null 200'],
      ['down', 'down down http_status 503'],
      ['limited', 'limited rate_limited rate_limited 429-or-deferred'],
      ['hang', 'hang down timeout null'],
      ['loop', 'loop down too_many_redirects 302'],
    ]);
    expect(new Set(told.map((r) => `${r.probeId} ${r.outcome} ${r.errorClass} ${status(r)}`))).toEqual(
      new Set([...want].filter(([id]) => told.some((r) => r.probeId === id)).map(([, v]) => v)),
    );
    // every probe is told, or marked, in every row
    expect(new Set(embedded!.map((r) => r.probeId))).toEqual(new Set(want.keys()));
  });
});
