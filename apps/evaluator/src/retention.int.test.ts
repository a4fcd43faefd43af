import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { VigilConfig } from '@vigil/config';
import { HOUR_MS, rollupHour } from '@vigil/core';
import { migrate, openDb, queryRollups, upsertRollups, type DbHandle } from '@vigil/db';
import { loadVigilConfig } from '@vigil/runtime';
import { createTestDatabase, manualClock, type TestDatabase } from '@vigil/testing';
import { startEvaluatorRole, type EvaluatorRole } from './role.js';

const DAY = 86_400_000;
const NOW = Date.parse('2026-03-01T12:00:00Z');
const hourAgo = (days: number) => Math.floor((NOW - days * DAY) / HOUR_MS) * HOUR_MS;
const rollup = (hourStart: number) =>
  rollupHour('p1', hourStart, [{ at: hourStart, durationMs: HOUR_MS, verdict: 'up', latencyMs: 100 }]);

describe('rollup retention from vigil.yaml', () => {
  let root: string;
  let database: TestDatabase;
  let h: DbHandle;
  let role: EvaluatorRole | null;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'vigil-rollup-retention-'));
    database = await createTestDatabase('vigil_rollup_retention');
    h = await openDb({ url: database.url, poolSize: 2 });
    await migrate(h);
    await upsertRollups(h.db, [rollup(hourAgo(400)), rollup(hourAgo(250)), rollup(hourAgo(100))]);
    role = null;
  });
  afterEach(async () => {
    await role?.close();
    await h.close();
    await database.drop();
    await rm(root, { recursive: true, force: true });
  });

  async function loaded(yaml: string): Promise<VigilConfig> {
    await writeFile(join(root, 'vigil.yaml'), yaml);
    const { config, diagnostics } = await loadVigilConfig({ root });
    expect(diagnostics).toEqual([]);
    return config!;
  }

  /** Starts the role with a fast retention pass and resolves after its first pass that deleted rows. */
  async function firstRetentionPass(config: VigilConfig): Promise<void> {
    let done!: () => void;
    const applied = new Promise<void>((resolve) => (done = resolve));
    role = await startEvaluatorRole({
      db: h.db,
      config: () => config,
      clock: manualClock(NOW),
      log: pino(
        { level: 'info' },
        new Writable({
          write(chunk: Buffer, _enc, cb) {
            if ((JSON.parse(chunk.toString('utf8')) as { msg: string }).msg === 'retention applied') done();
            cb();
          },
        }),
      ),
      env: {},
      holder: 'a',
      tickEveryMs: 0,
      relayPollMs: 0,
      heartbeatCheckMs: 0,
      maintainEveryMs: 100,
      outboxDir: join(root, 'outbox'),
      reports: false,
    });
    await applied;
  }

  const kept = async () =>
    (await queryRollups(h.db, { from: 0, to: NOW })).map((r) => Math.round((NOW - r.hourStart) / DAY));

  it('deletes the hourly rollups older than retention.rollups', async () => {
    await firstRetentionPass(await loaded('retention: { rollups: 200d }\n'));
    expect(await kept()).toEqual([100]);
  });

  it('keeps two years by default', async () => {
    await upsertRollups(h.db, [rollup(hourAgo(731))]);
    await firstRetentionPass(await loaded('timezone: UTC\n'));
    expect(await kept()).toEqual([400, 250, 100]);
  });
});
